package org.pnnedge.bridge;

/**
 * Energy of moving bytes over the SPI link (physics.md, "Link energy"): every bit toggles the clock line once and
 * each data line (MOSI, MISO) a quarter of the time on random data, each toggle charging the line capacitance
 * {@code C} to {@code V}; the two ends' interface logic adds a static {@code P_io} for the bit time.
 *
 * <pre>
 * E_bit = 1.5 · C · V² + P_io / f_SCLK
 * </pre>
 *
 * @param lineFarads C: pin capacitance of both ends plus the trace
 * @param volts      V: logic level
 * @param ioWatts    P_io: the two SPI interfaces while clocking
 */
public record LinkEnergy(double lineFarads, double volts, double ioWatts) {
    /**
     * 3.3 V SPI: C = 2 × 10 pF pins, P_io = 0.
     * source: "digital pin capacitance 10 pF", Microchip MCP4921/4922 datasheet DS21897, AC characteristics [S9]; that
     * the trace is inside those 10 pF is assumed, no source found. P_io = 0 is derived: TI gives a serial interface's
     * supply current as its pin load charged at the toggle rate alone (ADS7057/ADS7052 data sheets [S16]), which the
     * C·V² term already counts; the device's SPI controller is inside the board's P_static (physics.md).
     */
    public static final LinkEnergy SPI_3V3 = new LinkEnergy(20e-12, 3.3, 0);

    public LinkEnergy {
        if (!(lineFarads >= 0) || !(volts >= 0) || !(ioWatts >= 0)) {
            throw new IllegalArgumentException("link energy figures must be >= 0");
        }
    }

    /** E_bit at an SPI clock of {@code clockHz}. */
    public double joulesPerBit(double clockHz) {
        if (!(clockHz > 0)) {
            throw new IllegalArgumentException("SPI clock must be > 0 Hz, got " + clockHz);
        }
        return 1.5 * lineFarads * volts * volts + ioWatts / clockHz;
    }

    /** Energy of {@code bytes} bytes at {@code clockHz}. */
    public double joules(long bytes, double clockHz) {
        return bytes * 8.0 * joulesPerBit(clockHz);
    }
}

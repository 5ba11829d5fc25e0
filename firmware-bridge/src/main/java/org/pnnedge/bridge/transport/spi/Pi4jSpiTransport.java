package org.pnnedge.bridge.transport.spi;

import com.pi4j.context.Context;
import com.pi4j.io.IO;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiMode;

import org.pnnedge.bridge.TransportException;

/**
 * The real-hardware link: SPI through Pi4J (linuxfs provider on a Raspberry Pi), DATA_READY and RESET through
 * Pi4J digital I/O (gpiod provider). The same code runs in tests against providers registered in the Pi4J
 * context (an emulator-backed SPI provider and Pi4J's mock digital I/O).
 */
public final class Pi4jSpiTransport extends SpiFrameTransport {
    private final SpiLinkConfig config;
    private final Context pi4j;
    private final Spi spi;
    private final DigitalInput ready;
    private final DigitalOutput reset;

    public Pi4jSpiTransport(Context pi4j, SpiLinkConfig config) {
        super(config.resetPulse().toNanos(), config.bootWait().toNanos());
        this.config = config;
        this.pi4j = pi4j;
        String id = "pnn-%d-%d".formatted(config.bus(), config.chipSelect());
        DigitalOutput resetLine = null;
        DigitalInput readyLine = null;
        Spi spiDevice = null;
        try {
            resetLine = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id(id + "-reset").name("PNN RESET")
                    .address(config.resetPin()).initial(DigitalState.HIGH).shutdown(DigitalState.HIGH));
            readyLine = pi4j.create(DigitalInput.newConfigBuilder(pi4j).id(id + "-ready").name("PNN DATA_READY")
                    .address(config.readyPin()).pull(PullResistance.PULL_DOWN));
            spiDevice = pi4j.create(Spi.newConfigBuilder(pi4j).id(id + "-spi").name("PNN device")
                    .bus(config.bus()).channel(config.chipSelect())
                    .baud(config.baud()).mode(SpiMode.getByNumber(config.mode())));
            if (!spiDevice.isOpen()) {
                spiDevice.open();
            }
        } catch (RuntimeException e) {
            // release what this constructor claimed, or the GPIO addresses stay reserved in the Pi4J context
            for (IO<?, ?, ?> io : new IO<?, ?, ?>[] {spiDevice, readyLine, resetLine}) {
                if (io != null) {
                    try {
                        pi4j.shutdown(io.id());
                    } catch (RuntimeException ignored) {
                        // keep releasing the rest
                    }
                }
            }
            throw new TransportException("cannot open " + config.describe() + " through Pi4J: " + e.getMessage()
                    + " (is SPI enabled and are the gpiod/linuxfs providers available?)", e);
        }
        this.reset = resetLine;
        this.ready = readyLine;
        this.spi = spiDevice;
    }

    public SpiLinkConfig config() {
        return config;
    }

    @Override
    protected void transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        try {
            int n = spi.transfer(tx, txOff, rx, rxOff, len);
            if (n != len) {
                // Pi4J's linuxfs provider logs a failed ioctl and returns -1 instead of throwing
                throw new TransportException(n < 0
                        ? "SPI transfer of " + len + " bytes failed on " + config.describe()
                                + " (Pi4J returned " + n + "; larger than spidev.bufsiz?)"
                        : "SPI transferred " + n + " of " + len + " bytes on " + config.describe());
            }
        } catch (TransportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TransportException("SPI transfer failed on " + config.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean dataReady() {
        return ready.isHigh();
    }

    @Override
    protected void setReset(boolean held) {
        // RESET is active low
        reset.state(held ? DigitalState.LOW : DigitalState.HIGH);
    }

    @Override
    public String describe() {
        return config.describe();
    }

    @Override
    public void close() {
        for (String id : new String[] {spi.id(), ready.id(), reset.id()}) {
            try {
                pi4j.shutdown(id);
            } catch (RuntimeException e) {
                // already shut down with the context
            }
        }
    }
}

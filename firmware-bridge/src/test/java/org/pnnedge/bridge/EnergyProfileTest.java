package org.pnnedge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The energy model's arithmetic against values worked out by hand from physics.md's tables. */
class EnergyProfileTest {
    @Test
    void shgBenchTopIsTheWallPlugPowerTimesTheShot() {
        EnergyProfile p = EnergyProfile.of(PhysicsKind.SHG, "benchtop");
        // pump at the wall: 5 W / (25 % × 11/33) = 60 W (physics.md's derivation; was 100 W, an assumed 5 %)
        // (60 W laser pump + 10 W SLM + 2.5 W spectrometer + 0.5 W Teensy 4.1) × 20 ms = 1.46 J
        assertEquals(1.2, p.sourceJoules(), 1e-12);
        assertEquals(0.2, p.modulatorJoules(), 1e-12);
        assertEquals(0.05, p.detectorJoules(), 1e-12);
        assertEquals(0.01, p.staticJoules(), 1e-12);
        assertEquals(1.46, p.shotJoules(), 1e-12);
        // physics.md "The SLM's power" (assumed, no source found) bounds its effect: without it the shot is 1.26 J
        assertEquals(1.26, p.shotJoules() - p.modulatorJoules(), 1e-12);
        assertEquals(0.5 * 150e-6, p.requestJoules(150e-6), 1e-15);
    }

    @Test
    void shgIntegratedIsAFewNanojoules() {
        EnergyProfile p = EnergyProfile.of(PhysicsKind.SHG, "INTEGRATED");
        // 10 pJ source + 48 × (22 fJ modulator + 10 pJ DAC) + 16 × 9.8 pJ ADC conversions + 10 mW × 100 ns
        // = 10 + 481.056 + 156.8 + 1000 pJ = 1.647856 nJ (was 1.65 nJ with an assumed 10 pJ per detector)
        assertEquals(48 * 10.022e-12, p.modulatorJoules(), 1e-18);
        assertEquals(16 * 9.8e-12, p.detectorJoules(), 1e-18);
        assertEquals(1.647856e-9, p.shotJoules(), 1e-18);
    }

    @Test
    void circuitProfiles() {
        EnergyProfile b = EnergyProfile.of(PhysicsKind.CIRCUIT, "benchtop");
        // drive at the full-scale DC point: 2.5 V × (2.5 − 1.5672) V / 1525 Ω = 1.52918 mW, × 160 µs = 0.244669 µJ
        // (was an assumed 2 mW); (DAC 3.3 V × 250 µA + op-amp 3.3 V × 1 mA) × 280 µs = 1.155 µJ;
        // ADC 16 × 0.709 nJ = 11.344 nJ; Teensy 4.1 0.5 W × 280 µs = 140 µJ; total 141.411013 µJ
        assertEquals(0.244669e-6, b.sourceJoules(), 1e-12);
        assertEquals(141.411013e-6, b.shotJoules(), 1e-12);
        // a load: LOAD_PARAMS (49 bytes) and its answer (14) at 10 MHz = 50.4 µs of the 0.5 W board (was 50 µs)
        assertEquals(0.5 * 50.4e-6, b.loadJoules(), 1e-15);
        EnergyProfile a = EnergyProfile.of(PhysicsKind.CIRCUIT, "integrated");
        // 1 nJ drive + 32 pJ DAC + 16 × 7.55 pJ ADC + 100 µW × 10 µs = 2.1528 nJ (was 160 pJ of ADC, assumed)
        assertEquals(120.8e-12, a.detectorJoules(), 1e-18);
        assertEquals(2.1528e-9, a.shotJoules(), 1e-18);
    }

    @Test
    void linkEnergyPerBitAtTenMegahertz() {
        // 1.5 × 20 pF × (3.3 V)² + P_io / 10 MHz with P_io = 0 (derived; was an assumed 3.3 mW, +330 pJ)
        assertEquals(326.7e-12, LinkEnergy.SPI_3V3.joulesPerBit(10e6), 1e-16);
        assertEquals(326.7e-12, LinkEnergy.SPI_3V3.joulesPerBit(1e6), 1e-16); // no clock-dependent term left
        // one SHOT of the SHG device: 97 bytes (protocol.md)
        assertEquals(97 * 8 * 326.7e-12, LinkEnergy.SPI_3V3.joules(97, 10e6), 1e-15);
        // the formula keeps its interface term for a link that has one: 1 mW at 10 MHz adds 100 pJ per bit
        assertEquals(426.7e-12, new LinkEnergy(20e-12, 3.3, 1e-3).joulesPerBit(10e6), 1e-16);
        assertThrows(IllegalArgumentException.class, () -> LinkEnergy.SPI_3V3.joulesPerBit(0));
    }

    @Test
    void anUnknownProfileIsNamedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnergyProfile.of(PhysicsKind.SHG, "desktop"));
        assertTrue(e.getMessage().contains("'desktop'") && e.getMessage().contains("benchtop, integrated"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnergyProfile.requireKnown("lab"));
    }
}

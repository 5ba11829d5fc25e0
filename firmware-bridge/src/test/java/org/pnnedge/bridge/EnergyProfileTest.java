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
        // (100 W laser pump + 10 W SLM + 2.5 W spectrometer + 0.5 W Teensy 4.1) × 20 ms = 2.26 J
        assertEquals(2.0, p.sourceJoules(), 1e-12);
        assertEquals(0.2, p.modulatorJoules(), 1e-12);
        assertEquals(0.05, p.detectorJoules(), 1e-12);
        assertEquals(0.01, p.staticJoules(), 1e-12);
        assertEquals(2.26, p.shotJoules(), 1e-12);
        assertEquals(0.5 * 150e-6, p.requestJoules(150e-6), 1e-15);
    }

    @Test
    void shgIntegratedIsAFewNanojoules() {
        EnergyProfile p = EnergyProfile.of(PhysicsKind.SHG, "INTEGRATED");
        // 10 pJ source + 48 × 10 pJ modulators + 16 × 10 pJ detectors + 10 mW × 100 ns = 1.65 nJ
        assertEquals(1.65e-9, p.shotJoules(), 1e-15);
    }

    @Test
    void circuitProfiles() {
        EnergyProfile b = EnergyProfile.of(PhysicsKind.CIRCUIT, "benchtop");
        // drive 2 mW × 160 µs = 0.32 µJ; (DAC 3.3 V × 250 µA + op-amp 3.3 V × 1 mA) × 280 µs = 1.155 µJ;
        // ADC 16 × 0.709 nJ = 11.344 nJ; Teensy 4.1 0.5 W × 280 µs = 140 µJ; total 141.486344 µJ
        assertEquals(141.486344e-6, b.shotJoules(), 1e-12);
        assertEquals(0.5 * 50e-6, b.loadJoules(), 1e-15);
        EnergyProfile a = EnergyProfile.of(PhysicsKind.CIRCUIT, "integrated");
        // 1 nJ drive + 32 pJ DAC + 160 pJ ADC + 100 µW × 10 µs = 2.192 nJ
        assertEquals(2.192e-9, a.shotJoules(), 1e-15);
    }

    @Test
    void linkEnergyPerBitAtTenMegahertz() {
        // 1.5 × 20 pF × (3.3 V)² + 3.3 mW / 10 MHz = 326.7 pJ + 330 pJ
        assertEquals(656.7e-12, LinkEnergy.SPI_3V3.joulesPerBit(10e6), 1e-16);
        // one SHOT of the SHG device: 97 bytes (protocol.md)
        assertEquals(97 * 8 * 656.7e-12, LinkEnergy.SPI_3V3.joules(97, 10e6), 1e-15);
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

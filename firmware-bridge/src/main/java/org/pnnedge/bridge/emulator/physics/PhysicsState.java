package org.pnnedge.bridge.emulator.physics;

import java.util.random.RandomGenerator;

/**
 * What a physics model may read from the emulated world during a shot. The emulated firmware owns it.
 * Switches apply at once; a model must honour them on every call.
 */
public interface PhysicsState {
    /** Emulated time since power-up of the lab, seconds; advances with every shot by its modelled duration. */
    double timeSeconds();

    /** Temperature of the device (follows ambient with a thermal lag), °C. */
    double deviceTemperatureC();

    /** When false the model must be deterministic: no shot noise, read noise or other per-shot randomness. */
    boolean noise();

    /** When false, slow drifts (laser power, temperature coefficients) stay frozen at their nominal values. */
    boolean drift();

    /** Source of per-shot randomness; seeded from the device seed so runs are reproducible. */
    RandomGenerator noiseRandom();
}

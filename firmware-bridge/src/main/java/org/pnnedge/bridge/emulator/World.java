package org.pnnedge.bridge.emulator;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsState;

/**
 * The laboratory around an emulated device, as its physics sees it: the emulated clock, the ambient (climate
 * chamber) temperature, the device temperature that follows it with a first-order lag, the noise and drift
 * switches and the seeded per-shot noise source. Not thread-safe; {@link EmulatedDevice} serialises access.
 */
final class World implements PhysicsState {
    private final double tau;
    private final RandomGenerator random;
    private final boolean noise;
    private final boolean drift;
    private double time;
    private double ambientC;
    private double deviceC;

    World(EmulatorConfig c) {
        this.tau = c.thermalTauSeconds();
        // The seed mix is part of the emulator's reproducibility contract: changing it changes every noisy output.
        long noiseSeed = c.seed() * 0x9E3779B97F4A7C15L + 7;
        this.random = new SplittableRandom(c.session() == 0 ? noiseSeed
                : Physics.sessionSeed(noiseSeed, c.session()));
        this.ambientC = c.ambientC();
        this.deviceC = c.ambientC();
        this.noise = c.noise();
        this.drift = c.drift();
    }

    /** Lets {@code dt} seconds pass: the clock runs and the device temperature relaxes towards the ambient. */
    void advance(double dt) {
        time += dt;
        deviceC += (ambientC - deviceC) * -Math.expm1(-dt / tau);
    }

    void setAmbientC(double celsius) {
        ambientC = celsius;
    }

    double ambientC() {
        return ambientC;
    }

    @Override
    public double timeSeconds() {
        return time;
    }

    @Override
    public double deviceTemperatureC() {
        return deviceC;
    }

    @Override
    public boolean noise() {
        return noise;
    }

    @Override
    public boolean drift() {
        return drift;
    }

    @Override
    public RandomGenerator noiseRandom() {
        return random;
    }
}

package org.pnnedge.bridge.emulator.physics;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** A settable {@link PhysicsState} for physics unit tests. */
public final class FixedState implements PhysicsState {
    public double time;
    public double temperature = 25.0;
    public boolean noise;
    public boolean drift;
    public RandomGenerator random = new SplittableRandom(1);

    public FixedState(boolean noise, boolean drift) {
        this.noise = noise;
        this.drift = drift;
    }

    @Override
    public double timeSeconds() {
        return time;
    }

    @Override
    public double deviceTemperatureC() {
        return temperature;
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

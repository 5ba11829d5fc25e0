package org.pnnedge.bridge.emulator.physics;

import java.util.List;
import java.util.function.ObjDoubleConsumer;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.Sensor;

/**
 * The physics inside an emulated device: DAC codes in, ADC codes out. Implementations carry their own
 * per-device manufacturing mismatch (drawn from the seed at construction) and drift state. They are the
 * emulator's ground truth and must never be shared with the digital twin (module models).
 */
public interface Physics {
    PhysicsSpec spec();

    /**
     * One shot. Arrays have exactly spec().params(), inputs() and outputs() elements and codes are already
     * range-checked by the firmware. Must not allocate (it runs once per shot in benchmarks).
     */
    void shot(int[] paramCodes, int[] inputCodes, int[] outCodes, PhysicsState state);

    /** Physics-specific sensors (laser power, supply voltage, ...), reported by READ_SENSORS. */
    void readSensors(PhysicsState state, ObjDoubleConsumer<Sensor> sink);

    /** Physics-specific self-test checks (dark level, source level, ...). */
    List<SelfTestCheck> selfTest(PhysicsState state);

    /**
     * Puts the unit into session {@code session} (> 0): the same device (its mismatch does not change) met at another
     * time, so its slow drifts (laser power, supply wander) start from another point of their stationary
     * distribution and go on with another random sequence. Session 0 is the state a fresh device of this seed has
     * always started in; this is called only for other sessions, before the first shot.
     */
    void startSession(long session);

    /** A generator seed for session {@code session} of a stream seeded by {@code base}: reproducible, well mixed. */
    static long sessionSeed(long base, long session) {
        long z = base + session * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Builds the physics of a device by its kind's {@link PhysicsProvider}. {@code mismatch=false} gives the nominal
     * (datasheet) device.
     */
    static Physics create(PhysicsKind kind, long seed, boolean mismatch) {
        return PhysicsRegistry.forKind(kind).create(seed, mismatch);
    }
}

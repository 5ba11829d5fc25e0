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
     * Builds the physics of a device by its kind's {@link PhysicsProvider}. {@code mismatch=false} gives the nominal
     * (datasheet) device.
     */
    static Physics create(PhysicsKind kind, long seed, boolean mismatch) {
        return PhysicsRegistry.forKind(kind).create(seed, mismatch);
    }
}

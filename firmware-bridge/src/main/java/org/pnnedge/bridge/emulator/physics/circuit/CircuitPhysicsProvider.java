package org.pnnedge.bridge.emulator.physics.circuit;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsProvider;

/** Registers {@link CircuitPhysics} as the {@link PhysicsKind#CIRCUIT} model. */
public final class CircuitPhysicsProvider implements PhysicsProvider {
    @Override
    public PhysicsKind kind() {
        return PhysicsKind.CIRCUIT;
    }

    @Override
    public Physics create(long seed, boolean mismatch) {
        return new CircuitPhysics(seed, mismatch);
    }
}

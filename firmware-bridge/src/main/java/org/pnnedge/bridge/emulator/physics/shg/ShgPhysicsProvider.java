package org.pnnedge.bridge.emulator.physics.shg;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsProvider;

/** Registers {@link ShgPhysics} as the {@link PhysicsKind#SHG} model. */
public final class ShgPhysicsProvider implements PhysicsProvider {
    @Override
    public PhysicsKind kind() {
        return PhysicsKind.SHG;
    }

    @Override
    public Physics create(long seed, boolean mismatch) {
        return new ShgPhysics(seed, mismatch);
    }
}

package org.pnnedge.bridge.emulator.physics;

import org.pnnedge.bridge.PhysicsKind;

/**
 * Builds the physics of one {@link PhysicsKind}. Found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/org.pnnedge.bridge.emulator.physics.PhysicsProvider}), so this package names no model and
 * the models depend on it, not the other way round.
 */
public interface PhysicsProvider {
    PhysicsKind kind();

    /** A device's physics; {@code mismatch=false} gives the nominal (datasheet) device. */
    Physics create(long seed, boolean mismatch);
}

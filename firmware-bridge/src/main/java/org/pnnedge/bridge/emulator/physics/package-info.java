/**
 * What a physics model is to the emulated firmware ({@link org.pnnedge.bridge.emulator.physics.Physics}, its
 * {@link org.pnnedge.bridge.emulator.physics.PhysicsSpec} and the {@link org.pnnedge.bridge.emulator.physics.PhysicsState}
 * it reads) and the registry of models by kind ({@link org.pnnedge.bridge.emulator.physics.PhysicsProvider}, found by
 * {@link java.util.ServiceLoader}).
 *
 * <p><b>May import</b> the API package only; the models in the subpackages depend on it, not the reverse.
 */
package org.pnnedge.bridge.emulator.physics;

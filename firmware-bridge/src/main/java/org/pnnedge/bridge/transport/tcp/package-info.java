/**
 * Frames over TCP to a device bridge in another process ({@code pnn emulate}, {@code pnn device serve}), and the
 * {@code tcp:} {@link org.pnnedge.bridge.DeviceProvider}.
 *
 * <p><b>May import</b> the API package, {@code protocol}, {@code transport} and {@code tls}.
 */
package org.pnnedge.bridge.transport.tcp;

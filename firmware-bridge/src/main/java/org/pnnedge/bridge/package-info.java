/**
 * The bridge's API, what the models and the runtime use: {@link org.pnnedge.bridge.DeviceContext} opens a
 * {@link org.pnnedge.bridge.DeviceLink} from a device URI ({@link org.pnnedge.bridge.DeviceAddress}); the answers
 * are records ({@link org.pnnedge.bridge.DeviceInfo}, {@link org.pnnedge.bridge.Sensors},
 * {@link org.pnnedge.bridge.SelfTestReport}); failures are {@link org.pnnedge.bridge.DeviceException}s, refusals one
 * {@link org.pnnedge.bridge.DeviceStatusException} carrying its status. Also the host side of the protocol
 * (the package-private {@code ProtocolDeviceLink}) and the service interfaces found by
 * {@link java.util.ServiceLoader}: {@link org.pnnedge.bridge.DeviceProvider} per URI scheme.
 *
 * <p><b>May import</b> {@code protocol}, {@code transport} (the port) and {@code net} (its rate-limited log) only,
 * plus Pi4J (its {@code Context}) and tinylog. It never names a transport implementation, the emulator or the server: those sit above it and plug in
 * as providers.
 */
package org.pnnedge.bridge;

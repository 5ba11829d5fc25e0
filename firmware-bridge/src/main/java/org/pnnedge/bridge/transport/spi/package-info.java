/**
 * SPI with DATA_READY and RESET lines: the framing every SPI master shares
 * ({@link org.pnnedge.bridge.transport.spi.SpiFrameTransport}), the device side of the bus as an interface
 * ({@link org.pnnedge.bridge.transport.spi.SpiSlave}, implemented by the emulator), the Raspberry Pi transport through
 * Pi4J, and the {@code spi:} {@link org.pnnedge.bridge.DeviceProvider}.
 *
 * <p><b>May import</b> the API package, {@code protocol}, {@code transport} and Pi4J.
 */
package org.pnnedge.bridge.transport.spi;

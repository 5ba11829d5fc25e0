/**
 * A transport to an {@link org.pnnedge.bridge.transport.spi.SpiSlave} in the same process, byte for byte as over a
 * real bus: how {@code emulator:} URIs and the TCP emulator server reach the emulated firmware.
 *
 * <p><b>May import</b> {@code transport} and {@code transport.spi}.
 */
package org.pnnedge.bridge.transport.inprocess;

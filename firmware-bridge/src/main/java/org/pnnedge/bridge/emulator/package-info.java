/**
 * The emulated device: {@link org.pnnedge.bridge.emulator.EmulatedDevice} wires the firmware ({@code Firmware}:
 * frame dispatch, slots), the SPI side ({@code SpiPort}, {@code FaultInjector}: link timing, wire faults) and the
 * laboratory ({@code World}: clock, temperatures) around a physics model; its configuration and the
 * {@code emulator:} {@link org.pnnedge.bridge.DeviceProvider}. Seeded outputs are pinned by a test.
 *
 * <p><b>May import</b> the API package, {@code protocol}, {@code transport}, {@code transport.spi},
 * {@code transport.inprocess} and {@code emulator.physics} (never a physics model by name).
 */
package org.pnnedge.bridge.emulator;

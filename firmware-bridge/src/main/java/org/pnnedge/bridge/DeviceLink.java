package org.pnnedge.bridge;

import java.util.Optional;

import org.pnnedge.bridge.transport.Transport;

/**
 * The host's handle on one PNN device, whatever the transport (Pi4J SPI, TCP, in-process emulator).
 * Codes are unsigned DAC/ADC values; physical units are the host's business. Every call has a timeout;
 * transient faults are retried a bounded number of times, the device is reset through its RESET line after
 * repeated timeouts and its parameter slots are reloaded. Failures surface as {@link DeviceException}s.
 * Not thread-safe: one caller at a time.
 */
public interface DeviceLink extends AutoCloseable {
    /**
     * A link speaking the wire protocol over any transport: asks the device to IDENTIFY and checks its protocol
     * version. For bridges, tests and benchmarks that build their own transport; applications open links by URI
     * through {@link DeviceContext}. Closing the link closes the transport.
     */
    static DeviceLink over(Transport transport, LinkOptions options) {
        return new ProtocolDeviceLink(transport, options);
    }

    /** Asks the device what it is. */
    DeviceInfo identify();

    /** The IDENTIFY answer read when the link was opened. */
    DeviceInfo info();

    /** Loads parameter codes into a slot; the link remembers them to reload after a device reboot. */
    void loadParams(int slot, int[] codes);

    /** One shot with the parameters in {@code slot}: writes output codes into {@code out}; allocates nothing. */
    void shot(int slot, int[] input, int[] out);

    default int[] shot(int slot, int[] input) {
        int[] out = new int[info().outputs()];
        shot(slot, input, out);
        return out;
    }

    /** Many shots in as few frames as the device's batch limit allows; {@code out[i]} receives shot i. */
    void shotBatch(int slot, int[][] inputs, int[][] out);

    default int[][] shotBatch(int slot, int[][] inputs) {
        int[][] out = new int[inputs.length][info().outputs()];
        shotBatch(slot, inputs, out);
        return out;
    }

    Sensors sensors();

    SelfTestReport selfTest();

    /** Reboots the device (RESET request, RESET line if it does not answer). Loaded parameters are forgotten. */
    void reset();

    LinkStats stats();

    /**
     * Checks that every slot this link loaded still holds what it loaded (the firmware's SLOT_CHECKSUMS, protocol.md)
     * and reloads each one someone else overwrote, counting it in {@link LinkStats#foreignWrites()}.
     *
     * @return the number of slots reloaded, or -1 when the firmware cannot tell (it predates SLOT_CHECKSUMS)
     */
    int verifyParams();

    /**
     * The device's energy counters (protocol 2, READ_ENERGY), or empty when the device keeps none
     * ({@link DeviceInfo#energyCounter()} false): the host then uses the energy model ({@link EnergyProfile}).
     */
    default Optional<EnergyCounters> energy() {
        return Optional.empty();
    }

    /** Bytes moved over the link (requests and responses, every attempt) since it was opened; reading it is free. */
    default long bytesTransferred() {
        return 0;
    }

    /** Climate chamber and clock, for emulated devices only. */
    default Optional<LabControl> lab() {
        return Optional.empty();
    }

    /** Human-readable description of the transport, e.g. {@code spi:0.0 @ 10 MHz}. */
    String describe();

    @Override
    void close();
}

package org.pnnedge.bridge;

/**
 * What a device reports in answer to IDENTIFY.
 *
 * @param serial            factory serial number; emulators derive their manufacturing mismatch from it
 * @param kind              the physics inside
 * @param firmwareVersion   major.minor.patch
 * @param protocolVersion   wire protocol version the firmware speaks
 * @param inputs            input channels per shot
 * @param params            parameter channels per slot
 * @param outputs           output channels per shot
 * @param dacBits           bit depth of input and parameter codes (codes are 0 .. 2^dacBits-1)
 * @param adcBits           bit depth of output codes
 * @param slots             number of parameter slots
 * @param maxBatch          largest SHOT_BATCH the firmware accepts
 * @param typicalShotMicros typical time of one shot, for timeouts and throughput estimates
 * @param emulated          true for an emulator (it offers laboratory controls, see {@link LabControl})
 * @param energyCounter     true when the firmware keeps energy counters (protocol 2, READ_ENERGY); a host falls
 *                          back to the energy model ({@link EnergyProfile}) otherwise
 */
public record DeviceInfo(long serial, PhysicsKind kind, String firmwareVersion, int protocolVersion,
                         int inputs, int params, int outputs, int dacBits, int adcBits,
                         int slots, int maxBatch, long typicalShotMicros, boolean emulated, boolean energyCounter) {
    public DeviceInfo {
        if (inputs < 1 || params < 0 || outputs < 1 || slots < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("device reports impossible channel counts: inputs=" + inputs
                    + " params=" + params + " outputs=" + outputs + " slots=" + slots + " maxBatch=" + maxBatch);
        }
        if (dacBits < 1 || dacBits > 16 || adcBits < 1 || adcBits > 16) {
            throw new IllegalArgumentException("converter bits outside 1..16: dac=" + dacBits + " adc=" + adcBits);
        }
    }

    /** A device without energy counters (firmware before protocol 2, or without the hardware). */
    public DeviceInfo(long serial, PhysicsKind kind, String firmwareVersion, int protocolVersion, int inputs,
                      int params, int outputs, int dacBits, int adcBits, int slots, int maxBatch,
                      long typicalShotMicros, boolean emulated) {
        this(serial, kind, firmwareVersion, protocolVersion, inputs, params, outputs, dacBits, adcBits, slots,
                maxBatch, typicalShotMicros, emulated, false);
    }

    /** The same device answering in another protocol version (what IDENTIFY says to an older host). */
    public DeviceInfo withProtocolVersion(int version) {
        return new DeviceInfo(serial, kind, firmwareVersion, version, inputs, params, outputs, dacBits, adcBits,
                slots, maxBatch, typicalShotMicros, emulated, energyCounter && version >= 2);
    }

    public int maxDacCode() {
        return (1 << dacBits) - 1;
    }

    public int maxAdcCode() {
        return (1 << adcBits) - 1;
    }

    /** Serial as the 16 hex digits printed on the device label. */
    public String serialHex() {
        return "%016X".formatted(serial);
    }
}

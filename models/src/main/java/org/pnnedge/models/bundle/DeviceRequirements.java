package org.pnnedge.models.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.pnnedge.bridge.DeviceInfo;

/**
 * What the model needs from the device: the physics it was trained on, the wire protocol version and the
 * channel counts and converter depths its parameter codes and probes are expressed in.
 *
 * @param physicsKind     {@link org.pnnedge.bridge.PhysicsKind#id()} ({@code shg}, {@code circuit}); kept as
 *                        a string so a bundle for a physics this build does not know still parses and is
 *                        rejected as {@link BundleException.Reason#WRONG_PHYSICS}, not as a schema error
 * @param protocolVersion wire protocol version the device must speak. Versions 1 and 2 carry identical shots
 *                        (2 only adds the energy counters), so a bundle of either runs on a device of either, and
 *                        {@link #of} records 1 for both: a bundle trained on a version-2 device loads on an older host
 */
public record DeviceRequirements(@JsonProperty(required = true) String physicsKind,
                                 @JsonProperty(required = true) int protocolVersion,
                                 @JsonProperty(required = true) int inputs,
                                 @JsonProperty(required = true) int params,
                                 @JsonProperty(required = true) int outputs,
                                 @JsonProperty(required = true) int dacBits,
                                 @JsonProperty(required = true) int adcBits) {
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public DeviceRequirements {
        if (physicsKind == null || !KIND.matcher(physicsKind).matches()) {
            throw new IllegalArgumentException("physicsKind must be a lower-case id like 'shg' or 'circuit', got "
                    + (physicsKind == null ? "null" : "'" + physicsKind + "'"));
        }
        if (protocolVersion < 1 || protocolVersion > 255) {
            throw new IllegalArgumentException("protocolVersion must be in 1..255, got " + protocolVersion);
        }
        if (inputs < 1 || params < 0 || outputs < 1) {
            throw new IllegalArgumentException("impossible channel counts: inputs=" + inputs + " (≥1), params="
                    + params + " (≥0), outputs=" + outputs + " (≥1)");
        }
        if (dacBits < 1 || dacBits > 16 || adcBits < 1 || adcBits > 16) {
            throw new IllegalArgumentException("dacBits and adcBits must be in 1..16, got dacBits=" + dacBits
                    + " adcBits=" + adcBits);
        }
    }

    /** The requirements a given device satisfies exactly (handy when training against a device in hand). */
    public static DeviceRequirements of(DeviceInfo d) {
        return new DeviceRequirements(d.kind().id(), shotProtocol(d.protocolVersion()), d.inputs(), d.params(),
                d.outputs(), d.dacBits(), d.adcBits());
    }

    /** The oldest protocol version whose shots are the same as {@code version}'s (1 for versions 1 and 2). */
    static int shotProtocol(int version) {
        return version <= 2 ? 1 : version;
    }

    public int maxDacCode() {
        return (1 << dacBits) - 1;
    }

    public int maxAdcCode() {
        return (1 << adcBits) - 1;
    }

    /** Every way {@code d} differs from these requirements, in words; empty when it fits. */
    public List<String> mismatches(DeviceInfo d) {
        List<String> out = new ArrayList<>();
        if (!physicsKind.equals(d.kind().id())) {
            out.add("physics: bundle needs " + physicsKind + ", device is " + d.kind().id());
        }
        check(out, "protocol version", shotProtocol(protocolVersion), shotProtocol(d.protocolVersion()));
        check(out, "inputs", inputs, d.inputs());
        check(out, "params", params, d.params());
        check(out, "outputs", outputs, d.outputs());
        check(out, "DAC bits", dacBits, d.dacBits());
        check(out, "ADC bits", adcBits, d.adcBits());
        return out;
    }

    private static void check(List<String> out, String what, int needed, int actual) {
        if (needed != actual) {
            out.add(what + ": bundle needs " + needed + ", device has " + actual);
        }
    }

    /**
     * Throws {@link BundleException.Reason#WRONG_PHYSICS} when the physics differs, else
     * {@link BundleException.Reason#INCOMPATIBLE_DEVICE} listing every other mismatch.
     */
    public void requireSatisfiedBy(DeviceInfo d) throws BundleException {
        if (!physicsKind.equals(d.kind().id())) {
            throw new BundleException(BundleException.Reason.WRONG_PHYSICS, "bundle is for " + physicsKind
                    + " devices, device " + d.serialHex() + " is " + d.kind().id());
        }
        List<String> m = mismatches(d);
        if (!m.isEmpty()) {
            throw new BundleException(BundleException.Reason.INCOMPATIBLE_DEVICE, "device " + d.serialHex() + ": "
                    + String.join("; ", m));
        }
    }
}

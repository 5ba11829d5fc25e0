package org.pnnedge.bridge.emulator;

/**
 * Faults the emulated firmware injects, each as a probability.
 *
 * @param corruptByteRate probability that a byte on the wire (either direction) has one bit flipped
 * @param dropRate        probability that a response is never made ready (one request lost)
 * @param stuckReadyRate  probability that the firmware hangs with DATA_READY low until the RESET line is pulsed
 * @param rebootRate      probability that the device reboots spontaneously on a request, losing loaded parameters
 */
public record FaultConfig(double corruptByteRate, double dropRate, double stuckReadyRate, double rebootRate) {
    public static final FaultConfig NONE = new FaultConfig(0, 0, 0, 0);

    public FaultConfig {
        check("corrupt", corruptByteRate);
        check("drop", dropRate);
        check("stuck", stuckReadyRate);
        check("reboot", rebootRate);
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("fault rate '" + name + "' must be a probability in [0,1], got " + p);
        }
    }

    public boolean any() {
        return corruptByteRate > 0 || dropRate > 0 || stuckReadyRate > 0 || rebootRate > 0;
    }
}

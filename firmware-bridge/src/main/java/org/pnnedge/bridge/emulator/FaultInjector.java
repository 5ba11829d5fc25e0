package org.pnnedge.bridge.emulator;

import java.util.SplittableRandom;

/**
 * The wire and firmware faults of {@link FaultConfig}, drawn from one random sequence seeded by the device seed.
 * A draw happens only for a fault whose rate is above zero, so a fault-free device consumes no random numbers and
 * the sequence of a given configuration stays the same run after run.
 */
final class FaultInjector {
    private final SplittableRandom random;
    private volatile FaultConfig config;

    FaultInjector(long seed, FaultConfig config) {
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.config = config;
    }

    /** Changes the fault rates from the next transfer on (e.g. a test turning faults off to check recovery). */
    void set(FaultConfig f) {
        config = f;
    }

    FaultConfig config() {
        return config;
    }

    /** Flips one random bit in some bytes of {@code b[off, off+len)}, each with the configured probability. */
    void corrupt(FaultConfig f, byte[] b, int off, int len) {
        double rate = f.corruptByteRate();
        if (rate <= 0) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            if (random.nextDouble() < rate) {
                b[i] ^= (byte) (1 << random.nextInt(8));
            }
        }
    }

    /** Whether the device browns out on this request. */
    boolean reboots(FaultConfig f) {
        return draw(f.rebootRate());
    }

    /** Whether the firmware hangs on this request (DATA_READY stays low until the RESET line is pulsed). */
    boolean hangs(FaultConfig f) {
        return draw(f.stuckReadyRate());
    }

    /** Whether this response is lost. */
    boolean drops(FaultConfig f) {
        return draw(f.dropRate());
    }

    private boolean draw(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }
}

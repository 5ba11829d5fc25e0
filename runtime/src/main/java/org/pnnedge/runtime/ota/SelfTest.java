package org.pnnedge.runtime.ota;

import java.util.Objects;

import org.pnnedge.models.bundle.ModelBundle;

/**
 * Checks a verified, staged candidate on the device before it is switched in. {@link ProbeSelfTest} is the
 * default (reference probes, optional canary set). An exception thrown by {@link #run} fails the self-test with
 * {@link OtaStatus#REASON_SELF_TEST_ERROR}.
 */
@FunctionalInterface
public interface SelfTest {
    /** Passes everything: for runtimes without a device, and tests. */
    SelfTest NONE = candidate -> Result.pass("no self-test configured");

    Result run(ModelBundle candidate) throws Exception;

    /**
     * @param passed  whether the candidate may be switched in
     * @param reason  on failure, a stable code ({@link OtaStatus#REASON_SELF_TEST_PROBES}, …); null on success
     * @param message what was checked and found, one sentence
     */
    record Result(boolean passed, String reason, String message) {
        public Result {
            Objects.requireNonNull(message, "message");
            if (!passed) {
                Objects.requireNonNull(reason, "a failed self-test needs a reason code");
            }
        }

        public static Result pass(String message) {
            return new Result(true, null, message);
        }

        public static Result fail(String reason, String message) {
            return new Result(false, reason, message);
        }
    }
}

package org.pnnedge.bridge;

import org.pnnedge.bridge.protocol.FrameProblem;

/** Responses kept arriving malformed (bad sync, length or CRC) after all retries. */
public final class CorruptFrameException extends DeviceException {
    private final FrameProblem problem;

    public CorruptFrameException(FrameProblem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public FrameProblem problem() {
        return problem;
    }
}

package org.pnnedge.bridge.protocol;

/** A byte sequence that is not a valid frame. */
public final class FrameFormatException extends Exception {
    private final FrameProblem problem;

    public FrameFormatException(FrameProblem problem) {
        super("malformed frame: " + problem.meaning());
        this.problem = problem;
    }

    public FrameProblem problem() {
        return problem;
    }
}

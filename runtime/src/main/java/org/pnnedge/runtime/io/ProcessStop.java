package org.pnnedge.runtime.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way the project ends a process it started (broker nodes, the controller's supervisor and children):
 * SIGTERM, wait up to the caller's grace for it to exit, SIGKILL what is left, then wait at most {@link #KILL_WAIT}
 * for it to be gone. Timeout policy: the grace is the caller's (its documented option or constant, e.g.
 * {@link #TERM_GRACE} after a broker node ignored its graceful stop, the supervisor's {@code --stop-timeout});
 * the wait after SIGKILL is always {@link #KILL_WAIT}, since the kernel ends a killed process at once unless it
 * sleeps uninterruptibly (a hung disk or NFS mount), and then no wait would help. Waits poll every 100 ms; an
 * interrupt ends the grace early (SIGKILL follows) and is kept for the caller. A process counts as gone when its
 * handle is dead or it is a zombie ({@link Processes}): a pid reused by another process is never signalled, because
 * a {@link ProcessHandle} checks the start time.
 */
public final class ProcessStop {
    /** The grace between SIGTERM and SIGKILL when the caller has no option of its own. */
    public static final Duration TERM_GRACE = Duration.ofSeconds(5);
    /** How long after SIGKILL a process may take to disappear before it is reported {@link Outcome#UNKILLABLE}. */
    public static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 100;

    private ProcessStop() {
    }

    /** How a process ended. */
    public enum Outcome {
        /** It was not running when asked. */
        GONE,
        /** It exited within the grace after SIGTERM. */
        TERMINATED,
        /** It outlived the grace and was SIGKILLed. */
        KILLED,
        /** It still ran {@link #KILL_WAIT} after SIGKILL. */
        UNKILLABLE
    }

    /** Ends one process (see the class comment). */
    public static Outcome end(ProcessHandle process, Duration grace) {
        return end(List.of(process), grace).get(0);
    }

    /**
     * Ends several processes at once: SIGTERM to all, one grace for all, SIGKILL to those left; the outcomes in the
     * order given.
     */
    public static List<Outcome> end(List<ProcessHandle> processes, Duration grace) {
        List<Outcome> out = new ArrayList<>(processes.size());
        for (ProcessHandle p : processes) {
            boolean running = Processes.running(p);
            out.add(running ? Outcome.TERMINATED : Outcome.GONE);
            if (running) {
                p.destroy();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        boolean waited = awaitAll(processes, deadline);
        if (waited) {
            return out;
        }
        for (int i = 0; i < processes.size(); i++) {
            if (Processes.running(processes.get(i))) {
                processes.get(i).destroyForcibly();
                out.set(i, Outcome.KILLED);
            }
        }
        boolean interrupted = Thread.interrupted(); // the kill wait is short and bounded: let it run
        awaitAll(processes, System.nanoTime() + KILL_WAIT.toNanos());
        for (int i = 0; i < processes.size(); i++) {
            if (out.get(i) == Outcome.KILLED && Processes.running(processes.get(i))) {
                out.set(i, Outcome.UNKILLABLE);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Waits up to {@code timeout} for the process to be gone; true when it is. */
    public static boolean awaitExit(ProcessHandle process, Duration timeout) {
        return awaitAll(List.of(process), System.nanoTime() + timeout.toNanos());
    }

    private static boolean awaitAll(List<ProcessHandle> processes, long deadline) {
        while (processes.stream().anyMatch(Processes::running)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}

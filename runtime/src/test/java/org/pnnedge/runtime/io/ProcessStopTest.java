package org.pnnedge.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one SIGTERM → grace → SIGKILL helper on real processes: one that exits on SIGTERM, one that ignores it (a
 * shell that ignores TERM and execs {@code sleep}, which inherits the ignoring), one already gone; outcomes in the
 * order given, and nothing left running.
 */
class ProcessStopTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    /** Starts {@code sh -c script} and waits (bounded by the script itself) for its "ready" line. */
    private Process start(String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        started.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        assertEquals("ready", r.readLine(), "the test process did not start");
        return p;
    }

    @Test
    void termThenKillWithTheOutcomesInOrder() throws Exception {
        Process polite = start("echo ready; exec sleep 120");
        Process deaf = start("trap '' TERM; echo ready; exec sleep 120");
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        // a grace long enough that the polite one is never killed, short enough for the deaf one
        List<ProcessStop.Outcome> out = ProcessStop.end(List.of(polite.toHandle(), done.toHandle(), deaf.toHandle()),
                Duration.ofSeconds(3));
        assertEquals(List.of(ProcessStop.Outcome.TERMINATED, ProcessStop.Outcome.GONE, ProcessStop.Outcome.KILLED), out);
        assertFalse(Processes.running(polite.toHandle()), "polite still runs");
        assertFalse(Processes.running(deaf.toHandle()), "deaf still runs after SIGKILL");
        assertEquals(143, polite.waitFor(), "exit code of SIGTERM"); // 128 + 15
        assertEquals(137, deaf.waitFor(), "exit code of SIGKILL"); // 128 + 9
    }

    @Test
    void anInterruptCutsTheGraceShortButStillKills() throws Exception {
        Process deaf = start("trap '' TERM; echo ready; exec sleep 120");
        Thread.currentThread().interrupt();
        try {
            // a grace far beyond the test's patience: only the interrupt ends it
            assertEquals(ProcessStop.Outcome.KILLED, ProcessStop.end(deaf.toHandle(), Duration.ofHours(1)));
            assertEquals(true, Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(137, deaf.waitFor());
    }

    @Test
    void awaitExitSaysWhetherTheProcessEnded() throws Exception {
        Process p = start("echo ready; exec sleep 120");
        assertFalse(ProcessStop.awaitExit(p.toHandle(), Duration.ZERO));
        p.destroy();
        assertEquals(true, ProcessStop.awaitExit(p.toHandle(), Duration.ofSeconds(60)), "not gone after SIGTERM");
    }
}

package org.pnnedge.fleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.TestDirs;
import org.pnnedge.fleet.db.PgBinaries;
import org.pnnedge.fleet.supervise.ControllerLayout;
import org.pnnedge.fleet.supervise.ControllerState;
import org.pnnedge.runtime.fleet.FleetAccounts;

/**
 * The controller's failure path without a cluster: a dispatcher for a fleet without devices exits 2 (bad input),
 * is not restarted, and {@code controller start} names it with its exit code and the last line of its log; the
 * supervisor it leaves running is stopped by {@code controller stop}, and nothing is left behind. Bad options are
 * refused before anything starts.
 */
class ControllerCommandTest {
    @Test
    void aChildThatFailsIsNamedWithItsLastLogLineAndStopEndsTheRest() throws Exception {
        Assumptions.assumeTrue(PgBinaries.find().isPresent(), "skipped: " + PgBinaries.missing());
        Path dir = TestDirs.enterable("pnn-controller-test-");
        Path state = dir.resolve("fleet");
        Files.createDirectories(state);
        new FleetAccounts(List.of()).with(FleetAccounts.OPERATOR, FleetAccounts.Role.OPERATOR, "")
                .with("pi-1", FleetAccounts.Role.DEVICE, "a").save(state.resolve("accounts.json"));
        long supervisor = 0;
        try {
            StringWriter out = new StringWriter();
            int code = FleetMain.commandLine().setOut(new PrintWriter(out, true)).execute("controller", "start",
                    "--state-dir", state.toString(), "--db-port", "" + TestDirs.freePort(), "--ingest-workers", "0",
                    "--no-page", "--dispatch-fleet", "b", "--timeout", "PT120S");
            ControllerState st = ControllerState.read(ControllerLayout.under(state)).orElseThrow(() -> new AssertionError(out));
            supervisor = st.supervisorPid();
            assertEquals(1, code, out.toString());
            assertTrue(out.toString().contains("controller problem: dispatch-b failed: pid ")
                    && out.toString().contains("exited with code 2 (bad input: not restarted)")
                    && out.toString().contains("empty-fleet: fleet 'b' has no device accounts"), out.toString());
            assertEquals(0, st.child("dispatch-b").orElseThrow().restarts(), st.json());

            StringWriter stop = new StringWriter();
            assertEquals(0, FleetMain.commandLine().setOut(new PrintWriter(stop, true)).execute("controller", "stop",
                    "--state-dir", state.toString()));
            assertTrue(stop.toString().contains("controller (pid " + supervisor + "): stopped (SIGTERM)"), stop.toString());
            long pid = supervisor;
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "supervisor " + pid + " still runs");
            assertTrue(Files.notExists(ControllerLayout.under(state).supervisorPid()));
        } finally {
            if (supervisor > 0) {
                ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
            }
            ControllerCommand.stop(state, Duration.ofSeconds(10));
            TestDirs.delete(dir);
        }
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingStarts() {
        for (String[] bad : List.of(new String[] {"--ingest-workers", "-1"}, new String[] {"--page-port", "70000"},
                new String[] {"--dispatch-fleet", "Bad Fleet"}, new String[] {"--dispatch-fleet", "a", "--dispatch-fleet", "a"})) {
            StringWriter err = new StringWriter();
            String[] args = new String[bad.length + 4];
            args[0] = "controller";
            args[1] = "start";
            args[2] = "--state-dir";
            args[3] = "/nonexistent/pnn-controller-test";
            System.arraycopy(bad, 0, args, 4, bad.length);
            int code = FleetMain.commandLine().setErr(new PrintWriter(err, true)).execute(args);
            assertEquals(2, code, String.join(" ", bad) + ": " + err);
            assertTrue(err.toString().contains("bad-option"), err.toString());
        }
    }
}

package org.pnnedge.fleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** {@code pnn fleet dispatch}'s help and the input it refuses before touching the cluster or the database. */
class DispatchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        var cl = FleetMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void helpHasAnExample() {
        assertEquals(0, run("dispatch", "-h"), err.toString());
        assertTrue(out.toString().contains("Example: pnn fleet dispatch --fleet lab"), out.toString());
        assertTrue(out.toString().contains("--max-outstanding"), out.toString());
    }

    @Test
    void missingOrBadOptionsAreNamedWithExitCode2() {
        assertEquals(2, run("dispatch"));
        assertTrue(err.toString().contains("--fleet"), err.toString());
        assertEquals(2, run("dispatch", "--fleet", "lab", "--max-outstanding", "0", "--state-dir", "/nonexistent"));
        assertTrue(err.toString().contains("bad-option: --max-outstanding and --queue must be >= 1"), err.toString());
        assertEquals(2, run("dispatch", "--fleet", "lab", "--liveness", "PT-1S", "--state-dir", "/nonexistent"));
        assertTrue(err.toString().contains("--liveness must be a positive duration"), err.toString());
    }
}

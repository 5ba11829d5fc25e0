package org.pnnedge.fleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** {@code pnn fleet rollout start}'s re-send bounds: shown in the help, bad values refused with exit 2. */
class RolloutCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int start(String... extra) {
        var cl = FleetMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Stream<String> base = Stream.of("rollout", "start", "--bundle", "/nonexistent.pnnb", "--fleet", "sim");
        return cl.execute(Stream.concat(base, Stream.of(extra)).toArray(String[]::new));
    }

    @Test
    void helpNamesTheResendBounds() {
        var cl = FleetMain.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("rollout", "start", "-h"));
        for (String o : new String[] {"--resend-after", "--resend-max-interval", "--max-resends", "--max-send-rate",
            "--max-in-flight"}) {
            assertTrue(out.toString().contains(o), o + " missing from: " + out);
        }
    }

    @Test
    void badResendBoundsAreNamedWithExitCode2() {
        assertEquals(2, start("--max-resends", "-1"));
        assertTrue(err.toString().contains("--max-resends must be 0..100, got -1"), err.toString());
        assertEquals(2, start("--max-send-rate", "0"));
        assertTrue(err.toString().contains("--max-send-rate must be 1..100000 bundles per second, got 0"),
                err.toString());
        assertEquals(2, start("--resend-after", "PT1M", "--resend-max-interval", "PT30S"));
        assertTrue(err.toString().contains("--resend-max-interval must be ≥ --resend-after (PT1M), got PT30S"),
                err.toString());
        assertEquals(2, start("--max-in-flight", "0"));
        assertTrue(err.toString().contains("--max-in-flight must be 1..1000000 devices, got 0"), err.toString());
        assertEquals(2, start("--resend-after", "PT0S"));
        assertTrue(err.toString().contains("--resend-after must be > 0"), err.toString());
    }
}

package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.pnnedge.runtime.demo.BrokerStartException;
import picocli.CommandLine;

/** Failures with a message that says what to do are one line on stderr, not a stack trace. */
class ErrorHandlerTest {
    @CommandLine.Command(name = "fails")
    static final class Fails implements Callable<Integer> {
        private final RuntimeException e;

        Fails(RuntimeException e) {
            this.e = e;
        }

        @Override
        public Integer call() {
            throw e;
        }
    }

    private static String[] run(RuntimeException e) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Fails(e));
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute();
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void theDemoBrokerTimeoutIsOneLine() {
        String[] r = run(new BrokerStartException("the embedded MQTT broker (HiveMQ CE) did not start within 60 s",
                new TimeoutException()));
        assertEquals("1", r[0]);
        assertEquals("pnn: the embedded MQTT broker (HiveMQ CE) did not start within 60 s", r[1].strip());
    }

    @Test
    void anUnexpectedFailureStillShowsItsStackTrace() {
        String[] r = run(new IllegalStateException("boom"));
        assertEquals("1", r[0]);
        assertTrue(r[1].startsWith("pnn: unexpected error: java.lang.IllegalStateException: boom"), r[1]);
        assertFalse(r[1].strip().lines().count() == 1, r[1]);
    }
}

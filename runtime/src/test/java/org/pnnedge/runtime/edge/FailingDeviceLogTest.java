package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceException;
import org.pnnedge.bridge.emulator.FaultConfig;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/**
 * A device that fails every inference must not make the service log at the request rate: each failure and each
 * watchdog reset is still counted in the status, but the log gets at most one line per interval.
 */
class FailingDeviceLogTest {
    private static final int REQUESTS = 20;

    @Test
    void everyFailureIsCountedButTheLogIsRateLimited(@TempDir Path state) throws Exception {
        EmulatedDevice dev = ForeignParamWriteTest.quietDevice();
        try (DeviceServer bridge = DeviceServer.start(new InProcessTransport(dev, "failing"),
                InetAddress.getLoopbackAddress(), 0);
             EdgeService s = EdgeService.start(EdgeServiceTest.config(state, "tcp://127.0.0.1:" + bridge.port()
                     + "?timeout=20&retries=1", "watchdog.timeout", "PT2S", "recal.interval", "PT0S",
                     "device.param_check_interval", "PT0S"))) {
            double[] f = ForeignParamWriteTest.features().get(0);
            s.classify(f);
            dev.setFaults(new FaultConfig(0, 1.0, 0, 0)); // the device answers nothing any more
            int failures = 0;
            String log;
            try (ErrTee tee = ErrTee.start()) {
                for (int i = 0; i < REQUESTS; i++) {
                    try {
                        s.classify(f);
                    } catch (DeviceException e) {
                        failures++;
                    }
                }
                log = tee.text();
            }
            assertEquals(REQUESTS, failures);
            assertEquals(REQUESTS, s.status().get("watchdog_resets").asLong(), "each reset is counted");
            long lines = log.lines().filter(l -> l.contains("inference failed")).count();
            assertTrue(lines >= 1 && lines <= 2, lines + " lines for " + REQUESTS + " failed inferences:\n" + log);
            long resetFailed = log.lines().filter(l -> l.contains("device reset failed")).count();
            assertTrue(resetFailed <= 2, resetFailed + " reset failure lines for " + REQUESTS + " failures");
            assertEquals(REQUESTS, s.status().get("errors").get("reset_failed").asLong(), "each one counted");
        }
    }

    /** Tees System.err, where tinylog's console writer puts warnings and errors (it looks it up on every entry). */
    private static final class ErrTee implements AutoCloseable {
        private final PrintStream err = System.err;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        static ErrTee start() {
            ErrTee t = new ErrTee();
            System.setErr(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (t.buf) {
                        t.buf.write(b);
                    }
                    t.err.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (t.buf) {
                        t.buf.write(b, off, len);
                    }
                    t.err.write(b, off, len);
                }
            }, true, StandardCharsets.UTF_8));
            return t;
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setErr(err);
        }
    }
}

package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceException;
import org.pnnedge.bridge.emulator.FaultConfig;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.runtime.LogTee;

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
            try (LogTee tee = LogTee.start()) {
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
}

package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.tcp.TcpTransport;
import org.pnnedge.runtime.service.Answer;

/**
 * Issue 13's attack, rerun against the running service: another client of the device bridge LOAD_PARAMS zeros into
 * slot 0 under the service. Its answers change; the slot check notices, reloads the slot and counts it (status
 * errors and link counters), and the answers are the same as before the attack again.
 */
class ForeignParamWriteTest {
    static EmulatedDevice quietDevice() {
        return new EmulatedDevice(EmulatorConfig.builder(PhysicsKind.SHG).seed(1).timing(Timing.ZERO).noise(false)
                .drift(false).build());
    }

    static List<double[]> features() {
        Random r = new Random(5);
        List<double[]> fs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double[] f = new double[12];
            for (int k = 0; k < f.length; k++) {
                f[k] = r.nextDouble();
            }
            fs.add(f);
        }
        return fs;
    }

    static List<double[]> answers(EdgeService s, List<double[]> fs) {
        List<double[]> out = new ArrayList<>();
        for (double[] f : fs) {
            Answer a = s.classify(f);
            out.add(a.probabilities());
        }
        return out;
    }

    static void zerosIntoSlot0(DeviceServer bridge) {
        try (DeviceLink intruder = DeviceLink.over(new TcpTransport("127.0.0.1", bridge.port(), Duration.ofSeconds(5),
                Duration.ofSeconds(5)), LinkOptions.defaults())) {
            intruder.loadParams(0, new int[intruder.info().params()]);
        }
    }

    static boolean same(List<double[]> a, List<double[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void zerosWrittenUnderTheServiceAreDetectedReloadedAndCounted(@TempDir Path state) throws Exception {
        try (DeviceServer bridge = DeviceServer.start(new InProcessTransport(quietDevice(), "shared"),
                InetAddress.getLoopbackAddress(), 0);
             EdgeService s = EdgeService.start(EdgeServiceTest.config(state, "tcp://127.0.0.1:" + bridge.port(),
                     "device.param_check_interval", "PT0S", "recal.interval", "PT0S"))) {
            List<double[]> fs = features();
            List<double[]> before = answers(s, fs);
            assertEquals(0, s.checkParameters(), "nothing overwritten yet");

            zerosIntoSlot0(bridge);
            assertTrue(!same(before, answers(s, fs)), "the attack changes the service's answers");

            assertEquals(1, s.checkParameters());
            JsonNode status = s.status();
            assertEquals(1, status.get("errors").get("foreign_param_write").asLong(), status.toString());
            assertEquals(1, status.get("link").get("foreign_param_writes").asLong(), status.toString());
            List<double[]> after = answers(s, fs);
            for (int i = 0; i < fs.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "answer " + i + " is right again");
            }
        }
    }

    @Test
    void thePeriodicCheckFindsItByItself(@TempDir Path state) throws Exception {
        try (DeviceServer bridge = DeviceServer.start(new InProcessTransport(quietDevice(), "shared"),
                InetAddress.getLoopbackAddress(), 0);
             EdgeService s = EdgeService.start(EdgeServiceTest.config(state, "tcp://127.0.0.1:" + bridge.port(),
                     "device.param_check_interval", "PT0.2S", "recal.interval", "PT0S"))) {
            List<double[]> fs = features();
            List<double[]> before = answers(s, fs);
            zerosIntoSlot0(bridge);
            long t0 = System.nanoTime();
            while (s.status().get("link").get("foreign_param_writes").asLong() == 0
                    && System.nanoTime() - t0 < 10_000_000_000L) {
                Thread.sleep(50);
            }
            JsonNode status = s.status();
            assertEquals(1, status.get("link").get("foreign_param_writes").asLong(), status.toString());
            assertTrue(same(before, answers(s, fs)), "answers are right again");
        }
    }

    @Test
    void aCheckThatDiesOfAnErrorDoesNotEndThePeriodicChecks(@TempDir Path state) throws Exception {
        try (EdgeService s = EdgeService.start(EdgeServiceTest.config(state, "faulty:shg?seed=1&timing=zero",
                "device.param_check_interval", "PT0.2S", "recal.interval", "PT0S"))) {
            int deaths = FaultyDeviceProvider.DEATHS.get();
            FaultyDeviceProvider.nextCheckFault = new OutOfMemoryError("test: a slot check dies");
            long t0 = System.nanoTime();
            while (FaultyDeviceProvider.DEATHS.get() == deaths && System.nanoTime() - t0 < 10_000_000_000L) {
                Thread.sleep(20);
            }
            assertEquals(deaths + 1, FaultyDeviceProvider.DEATHS.get(), "a check died");
            int checks = FaultyDeviceProvider.CHECKS.get();
            while (FaultyDeviceProvider.CHECKS.get() < checks + 2 && System.nanoTime() - t0 < 20_000_000_000L) {
                Thread.sleep(20);
            }
            assertTrue(FaultyDeviceProvider.CHECKS.get() >= checks + 2, "the periodic checks went on after one died");
            assertTrue(s.status().get("errors").path("param_check_failed").asLong() >= 1, s.status().toString());
        }
    }
}

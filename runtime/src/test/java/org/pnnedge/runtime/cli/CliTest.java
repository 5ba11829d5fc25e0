package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import picocli.CommandLine;

class CliTest {
    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine(args); // the command line pnn itself runs (Main.run)
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"shg", "circuit"})
    void identifyAndShotOverTcpAsAUserWould(String physics) throws Exception {
        EmulatedDevice dev = new EmulatedDevice(EmulatorConfig.builder(PhysicsKind.fromId(physics)).seed(1)
                .timing(Timing.ZERO).noise(false).drift(false).build());
        try (DeviceServer server = DeviceServer.start(new InProcessTransport(dev, "test"),
                InetAddress.getLoopbackAddress(), 0)) {
            String uri = "tcp://127.0.0.1:" + server.port();
            Result id = run("device", "identify", "--device", uri, "--json");
            assertEquals(0, id.exit(), id.err());
            JsonNode info = Json.MAPPER.readTree(id.out());
            assertEquals(physics, info.get("physics").asText());
            int params = info.get("params").asInt();
            int inputs = info.get("inputs").asInt();

            Result shot = run("device", "shot", "--device", uri, "--params", "2048*" + params,
                    "--input", "1000,3000*" + (inputs - 1), "--json");
            assertEquals(0, shot.exit(), shot.err());
            JsonNode outputs = Json.MAPPER.readTree(shot.out()).get("outputs");
            assertEquals(info.get("outputs").asInt(), outputs.size());

            // parameters stay in the device's slot between commands; noise is off, so the same input repeats
            Result again = run("device", "shot", "--device", uri, "--input", "1000,3000*" + (inputs - 1),
                    "--repeat", "2");
            assertEquals(0, again.exit(), again.err());
            String[] lines = again.out().strip().split("\n");
            assertEquals(2, lines.length);
            assertEquals(lines[0], lines[1]);
            StringBuilder csv = new StringBuilder();
            outputs.forEach(n -> csv.append(csv.isEmpty() ? "" : ",").append(n.asInt()));
            assertEquals(csv.toString(), lines[0]);

            Result sensors = run("device", "sensors", "--device", uri);
            assertEquals(0, sensors.exit(), sensors.err());
            assertTrue(sensors.out().contains("device_temperature"), sensors.out());

            Result st = run("device", "selftest", "--device", uri, "--json");
            assertEquals(0, st.exit(), st.err());
            assertTrue(Json.MAPPER.readTree(st.out()).get("passed").asBoolean());
        }
    }

    @Test
    void inProcessEmulatorUri() {
        Result r = run("device", "identify", "--device", "emulator:circuit?seed=3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("circuit (emulated)"), r.out());
    }

    @Test
    void badInputGetsAClearMessageAndExitCode2() {
        Result wrongCount = run("device", "shot", "--device", "emulator:shg?timing=zero", "--params", "1,2,3",
                "--input", "0*16");
        assertEquals(2, wrongCount.exit());
        assertTrue(wrongCount.err().contains("--params has 3 codes") && wrongCount.err().contains("takes 32"),
                wrongCount.err());

        Result notNumber = run("device", "shot", "--device", "emulator:shg?timing=zero", "--input", "1,x");
        assertEquals(2, notNumber.exit());
        assertTrue(notNumber.err().contains("'x' is not an integer"), notNumber.err());

        Result badUri = run("device", "identify", "--device", "serial:/dev/ttyUSB0");
        assertEquals(2, badUri.exit());
        assertTrue(badUri.err().contains("unknown scheme"), badUri.err());

        Result remote = run("device", "serve", "--device", "emulator:shg", "--port", "0", "--bind", "8.8.8.8");
        assertEquals(2, remote.exit());
        assertTrue(remote.err().contains("--allow-remote"), remote.err());

        // beyond loopback, a server needs mutual TLS or the loud flag (issue 13), refused before anything listens
        Result noAuth = run("device", "serve", "--device", "emulator:shg", "--port", "0", "--bind", "0.0.0.0",
                "--allow-remote");
        assertEquals(2, noAuth.exit());
        assertTrue(noAuth.err().contains("without authentication") && noAuth.err().contains("--insecure-no-auth"),
                noAuth.err());
        Result emulateNoAuth = run("emulate", "--physics", "shg", "--port", "0", "--bind", "0.0.0.0",
                "--allow-remote");
        assertEquals(2, emulateNoAuth.exit());
        assertTrue(emulateNoAuth.err().contains("--tls-cert"), emulateNoAuth.err());
        Result halfTls = run("emulate", "--physics", "shg", "--port", "0", "--tls-cert", "server.crt");
        assertEquals(2, halfTls.exit());
        assertTrue(halfTls.err().contains("needs all of --tls-cert, --tls-key and --tls-ca"), halfTls.err());
    }

    @Test
    void aNegativeEmulatorSessionIsRefusedByName() {
        Result r = run("emulate", "--physics", "shg", "--port", "0", "--session", "-1");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("session must be >= 0"), r.err());
        Result uri = run("device", "identify", "--device", "emulator:shg?timing=zero&session=x");
        assertTrue(uri.exit() != 0 && uri.err().contains("session"), uri.err());
    }

    @Test
    void outOfRangeValuesTypedAreBadInputNamingTheOptionAndTheRange() {
        String dev = "emulator:shg?timing=zero";
        String[][] cases = {
            {"--input: code 5000 (element 1) is outside the DAC range 0..4095", "--params", "2048*32", "--input",
                "5000*16"},
            {"--params: code 4096 (element 32) is outside the DAC range 0..4095", "--params", "2048*31,4096",
                "--input", "0*16"},
            {"--slot 8 is outside 0..7", "--slot", "8", "--input", "0*16"},
            {"--slot -1 is outside 0..7", "--slot", "-1", "--input", "0*16"}};
        for (String[] c : cases) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("device", "shot", "--device",
                    dev));
            args.addAll(java.util.List.of(c).subList(1, c.length));
            Result r = run(args.toArray(String[]::new));
            assertEquals(2, r.exit(), args + ": " + r.err());
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "' in: " + r.err());
        }
        Result top = run("device", "shot", "--device", dev, "--params", "4095*32", "--input", "4095*16");
        assertEquals(0, top.exit(), top.err()); // the range's top code is in it
    }

    @Test
    void theDemoRunsEndToEnd(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path json = dir.resolve("summary.json");
        // the demo's default is the talker13 hearing bundle (run by .ci/run and DemoLayoutCliTest's small one);
        // this runs the hz12 path end to end: the service's default feature bundle
        String hz12 = org.pnnedge.models.data.Checkout.requireRoot().resolve("src/dist/models/vowels7.pnnb").toString();
        Result r = run("demo", "--bundle", hz12, "--json-summary", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode s = Json.MAPPER.readTree(json.toFile());
        assertTrue(s.get("inferences").asLong() > 100, s.toString());
        assertTrue(s.get("accuracy").asDouble() > 0.7, s.toString());
        // 42 vowels a group, less the few the audio front end cannot measure: the overall figure is a weighted mean
        // of the groups', children one of boys and girls
        JsonNode groups = s.get("accuracy_by_group");
        java.util.List<Double> four = java.util.stream.Stream.of("men", "women", "boys", "girls")
                .map(g -> groups.get(g).asDouble()).toList();
        double overall = s.get("accuracy").asDouble();
        assertTrue(overall >= java.util.Collections.min(four) - 1e-4
                && overall <= java.util.Collections.max(four) + 1e-4, s.toString());
        double children = groups.get("children").asDouble();
        assertTrue(children >= Math.min(four.get(2), four.get(3)) - 1e-4
                && children <= Math.max(four.get(2), four.get(3)) + 1e-4, s.toString());
        assertTrue(s.get("held_out_vowels").asInt() > 150 && s.get("held_out_vowels").asInt() <= 168, s.toString());
        assertEquals("hz12", s.get("feature_layout").asText(), s.toString());
        assertEquals("hz12", s.get("ota").get("feature_layout").asText(), s.toString());
        assertTrue(s.get("telemetry_received").asInt() > 0, s.toString());
        JsonNode energy = s.get("energy"); // the demo's device keeps counters: its own figure, not the model's
        assertEquals("measured", energy.get("device_source").asText(), s.toString());
        assertTrue(energy.get("total_j").asDouble() > 0 && energy.get("per_inference_p95_j").asDouble() > 0,
                s.toString());
        assertTrue(s.get("recalibration").get("accuracy_after").asDouble()
                > s.get("recalibration").get("accuracy_before").asDouble(), s.toString());
        assertEquals("1.1.0", s.get("ota").get("applied_version").asText());
        assertTrue(s.get("ota").get("rejected_tampered").asBoolean());
    }

    @Test
    void classifyWavRefusesBadAudioClearly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path bad = dir.resolve("bad.wav");
        java.nio.file.Files.writeString(bad, "not a wav");
        Result r = run("classify", "--wav", bad.toString(), "--device", "emulator:shg?timing=zero", "--bundle", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not a WAV"), r.err());
        Result both = run("classify", "--wav", bad.toString(), "--features", "1,2");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("exactly one of --features, --wav and --formants-hz"), both.err());
    }

    @Test
    void listenWithoutACaptureDeviceSaysSo() {
        javax.sound.sampled.DataLine.Info mic = new javax.sound.sampled.DataLine.Info(
                javax.sound.sampled.TargetDataLine.class, new javax.sound.sampled.AudioFormat(16_000f, 16, 1, true, false));
        org.junit.jupiter.api.Assumptions.assumeFalse(javax.sound.sampled.AudioSystem.isLineSupported(mic),
                "this machine has a microphone: the no-capture-device path cannot be exercised here");
        Result r = run("listen", "--seconds", "1", "--device", "emulator:shg?timing=zero", "--bundle", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no audio capture device"), r.err());
    }

    @Test
    void nobodyListening() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = run("device", "identify", "--device", "tcp://127.0.0.1:" + port);
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("cannot connect"), r.err());
    }

    @Test
    void deviceTourRunsAndWritesItsSummary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path json = dir.resolve("summary.json");
        Result r = run("device", "tour", "--physics", "circuit", "--json-summary", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode s = Json.MAPPER.readTree(json.toFile());
        assertEquals(200, s.get("faults").get("answered").asInt());
        assertTrue(s.get("relative_noise").asDouble() > 0, s.toString());
        assertTrue(s.get("drift_relative_change").asDouble() > 0.005, s.toString());
        // the mean output is per channel, so it lies within the ADC range the tour's IDENTIFY line shows
        java.util.regex.Matcher adc = java.util.regex.Pattern.compile("ADC (\\d+)-bit").matcher(r.out());
        assertTrue(adc.find(), r.out());
        int adcMax = (1 << Integer.parseInt(adc.group(1))) - 1;
        java.util.regex.Matcher mean = java.util.regex.Pattern.compile("mean output +([0-9.]+) counts per channel")
                .matcher(r.out());
        int lines = 0;
        while (mean.find()) {
            lines++;
            double v = Double.parseDouble(mean.group(1));
            assertTrue(v > 0 && v <= adcMax, v + " outside the ADC range 0.." + adcMax + ":\n" + r.out());
        }
        assertEquals(4, lines, r.out());
    }
}

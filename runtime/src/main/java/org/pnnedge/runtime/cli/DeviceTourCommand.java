package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.Sensors;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.FaultConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A tour of the device link on an emulated device, with nothing to set up: an emulator served over TCP on
 * loopback, the host talking to it through the same protocol a Raspberry Pi uses over SPI, the physics'
 * nonlinearity and noise measured, drift under warming, and recovery from injected wire faults.
 */
@Command(name = "tour", description = "Tour of the device link on an emulated PNN device (no hardware needed).")
final class DeviceTourCommand implements Callable<Integer> {
    @Option(names = "--physics", defaultValue = "shg", description = "shg or circuit (default ${DEFAULT-VALUE}).")
    String physics;

    @Option(names = "--seed", defaultValue = "1", description = "Device seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json-summary", paramLabel = "FILE", description = "Also write the measured figures as JSON.")
    Path jsonSummary;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (jsonSummary != null) {
            OutputFile.check("--json-summary", jsonSummary); // now, not after the tour
        }
        PrintWriter out = spec.commandLine().getOut();
        PhysicsKind kind = PhysicsKind.fromId(physics);
        Map<String, Object> summary = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        // Realistic timing but a short shot time keeps the tour quick while DATA_READY waits stay real.
        EmulatedDevice device = new EmulatedDevice(EmulatorConfig.builder(kind).seed(seed).timing(Timing.REALISTIC)
                .shotMicros(kind == PhysicsKind.SHG ? 2_000 : 300).build());
        InProcessTransport wire = new InProcessTransport(device, "emulator:" + kind.id());
        try (DeviceServer server = DeviceServer.start(wire, InetAddress.getLoopbackAddress(), 0);
             DeviceContext ctx = DeviceContext.create();
             DeviceLink link = ctx.open("tcp://127.0.0.1:" + server.port() + "?timeout=500")) {
            DeviceInfo d = link.identify();
            out.printf("== 1. IDENTIFY over %s%n", link.describe());
            out.printf("   %s device %s, firmware %s: %d inputs, %d parameters, %d outputs, DAC %d-bit, ADC %d-bit%n",
                    d.kind().id(), d.serialHex(), d.firmwareVersion(), d.inputs(), d.params(), d.outputs(),
                    d.dacBits(), d.adcBits());
            summary.put("device", DeviceCommand.infoMap(d));

            SplittableRandom r = new SplittableRandom(seed);
            int[] params = new int[d.params()];
            for (int i = 0; i < params.length; i++) {
                params[i] = 1024 + r.nextInt(2048);
            }
            link.loadParams(0, params);
            int[] pattern = new int[d.inputs()];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = 1500 + r.nextInt(2000);
            }

            nonlinearity(link, pattern, out, summary);
            noise(link, pattern, out, summary);
            drift(link, pattern, out, summary);
            faults(device, link, pattern, out, summary);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        summary.put("seconds", round(seconds));
        out.printf("%ndone in %.1f s. Next: ./pnn emulate --physics shg --port 7878 and "
                + "./pnn device identify --device tcp://127.0.0.1:7878 (see README).%n", seconds);
        if (jsonSummary != null) {
            Files.writeString(jsonSummary, Json.write(summary));
        }
        return 0;
    }

    /** Step 2: mean output per channel against a common input amplitude. */
    private static void nonlinearity(DeviceLink link, int[] pattern, PrintWriter out, Map<String, Object> summary) {
        out.printf("%n== 2. The physics is nonlinear: output vs a common input amplitude a%n");
        double[] amps = {0.25, 0.5, 0.75, 1.0};
        double[] means = new double[amps.length];
        for (int k = 0; k < amps.length; k++) {
            int[] in = scaled(pattern, amps[k]);
            means[k] = mean(link.shotBatch(0, repeat(in, 8)));
            out.printf("   a=%.2f  mean output %7.1f counts per channel%n", amps[k], means[k]);
        }
        double exponent = Math.log(means[3] / means[1]) / Math.log(amps[3] / amps[1]);
        out.printf("   apparent exponent between a=0.5 and a=1: %.2f (a linear device would give 1)%n", exponent);
        summary.put("response_exponent", round(exponent));
    }

    /** Step 3: shot-to-shot noise of one input. */
    private static void noise(DeviceLink link, int[] pattern, PrintWriter out, Map<String, Object> summary) {
        out.printf("%n== 3. Shot-to-shot noise (100 shots of one input)%n");
        int[][] rep = link.shotBatch(0, repeat(pattern, 100));
        double noise = medianRelativeStd(rep);
        out.printf("   median relative std over output channels: %.2f %%%n", 100 * noise);
        summary.put("relative_noise", round(noise));
    }

    /** Step 4: the lab warms; outputs and sensors move. */
    private static void drift(DeviceLink link, int[] pattern, PrintWriter out, Map<String, Object> summary) {
        out.printf("%n== 4. Drift: the lab warms by 10 K for 20 minutes%n");
        int[][] before = link.shotBatch(0, repeat(pattern, 20));
        Sensors s0 = link.sensors();
        link.lab().orElseThrow().setAmbientTemperature(32);
        link.lab().orElseThrow().advanceClock(1200);
        Sensors s1 = link.sensors();
        int[][] after = link.shotBatch(0, repeat(pattern, 20));
        double change = relativeChange(before, after);
        out.printf("   device temperature %.1f -> %.1f °C%s%n", s0.temperatureC(), s1.temperatureC(),
                s1.get(Sensor.LASER_POWER).isPresent() ? "; laser power %.0f -> %.0f mW".formatted(
                        s0.get(Sensor.LASER_POWER).getAsDouble(), s1.get(Sensor.LASER_POWER).getAsDouble()) : "");
        out.printf("   outputs moved by %.1f %% (rms, relative): what recalibration is for%n", 100 * change);
        summary.put("drift_relative_change", round(change));
        summary.put("temperature_before_c", round(s0.temperatureC()));
        summary.put("temperature_after_c", round(s1.temperatureC()));
    }

    /** Step 5: injected wire faults, and what the link recovered from. */
    private static void faults(EmulatedDevice device, DeviceLink link, int[] pattern, PrintWriter out,
                               Map<String, Object> summary) {
        out.printf("%n== 5. Faults on the wire: corrupted bytes, lost responses, hangs, reboots%n");
        LinkStats base = link.stats();
        device.setFaults(new FaultConfig(2e-4, 0.02, 0.01, 0.01));
        int ok = 0;
        for (int i = 0; i < 200; i++) {
            link.shot(0, pattern);
            ok++;
        }
        device.setFaults(FaultConfig.NONE);
        LinkStats st = link.stats();
        out.printf("   %d of 200 shots answered; recovered from %d corrupt frames, %d timeouts, %d RESET pulses, "
                        + "%d parameter reloads (%d retries)%n", ok, st.corruptFrames() - base.corruptFrames(),
                st.timeouts() - base.timeouts(), st.lineResets() - base.lineResets(),
                st.paramReloads() - base.paramReloads(), st.retries() - base.retries());
        Map<String, Object> faults = new LinkedHashMap<>();
        faults.put("shots", 200);
        faults.put("answered", ok);
        faults.put("corrupt_frames", st.corruptFrames() - base.corruptFrames());
        faults.put("timeouts", st.timeouts() - base.timeouts());
        faults.put("line_resets", st.lineResets() - base.lineResets());
        faults.put("param_reloads", st.paramReloads() - base.paramReloads());
        faults.put("retries", st.retries() - base.retries());
        summary.put("faults", faults);
    }

    private static int[] scaled(int[] codes, double a) {
        int[] v = new int[codes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) Math.round(codes[i] * a);
        }
        return v;
    }

    private static int[][] repeat(int[] in, int n) {
        int[][] m = new int[n][];
        java.util.Arrays.fill(m, in);
        return m;
    }

    /** Mean over shots and output channels: comparable with the ADC range, unlike the sum over channels. */
    private static double mean(int[][] m) {
        double s = 0;
        for (int[] row : m) {
            for (int v : row) {
                s += v;
            }
        }
        return s / ((double) m.length * m[0].length);
    }

    private static double medianRelativeStd(int[][] m) {
        int channels = m[0].length;
        double[] rel = new double[channels];
        for (int c = 0; c < channels; c++) {
            double mu = 0;
            for (int[] row : m) {
                mu += row[c];
            }
            mu /= m.length;
            double var = 0;
            for (int[] row : m) {
                var += (row[c] - mu) * (row[c] - mu);
            }
            rel[c] = mu > 0 ? Math.sqrt(var / (m.length - 1)) / mu : 0;
        }
        java.util.Arrays.sort(rel);
        return rel[channels / 2];
    }

    private static double relativeChange(int[][] a, int[][] b) {
        int channels = a[0].length;
        double num = 0;
        double den = 0;
        for (int c = 0; c < channels; c++) {
            double ma = 0;
            double mb = 0;
            for (int i = 0; i < a.length; i++) {
                ma += a[i][c];
                mb += b[i][c];
            }
            num += (ma - mb) * (ma - mb);
            den += ma * ma;
        }
        return Math.sqrt(num / den);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

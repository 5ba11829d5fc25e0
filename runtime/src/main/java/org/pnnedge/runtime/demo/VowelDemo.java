package org.pnnedge.runtime.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.TrustedKey;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.demo.DemoClients.Observer;
import org.pnnedge.runtime.demo.DemoClients.Requester;
import org.pnnedge.runtime.edge.EdgeService;
import org.pnnedge.runtime.service.EnergyLedger;
import org.pnnedge.runtime.mqtt.RequestError;

/**
 * The README's main job: an MQTT broker (HiveMQ CE embedded), an emulated optical SHG device and the edge
 * service with the shipped bundle (or another, in any feature layout the front end can make: {@link DemoModel}),
 * all in one process, exercised the way a user would from outside: inference requests over MQTT, telemetry at a
 * separate subscriber, drift and recalibration, an over-the-air update and a tampered bundle refused.
 */
public final class VowelDemo {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final long WAIT_S = 60;
    /** The demo's emulated device (also the one the printed `pnn listen` command uses). */
    static final String DEVICE_URI = "emulator:shg?seed=1&timing=zero";

    private final PrintWriter out;
    private final DemoModel model;
    private final FeatureUnits units;
    private final Options options;

    /**
     * How this run looks.
     *
     * @param heldOutTalkers new talkers a group whose vowels step 3 classifies, at least 1
     * @param shipped        whether the bundle is the shipped one (then the output says so)
     * @param listenBundle   the bundle arguments of the printed {@code pnn listen} command
     */
    public record Options(int heldOutTalkers, boolean shipped, String listenBundle) {
        public Options {
            if (heldOutTalkers < 1) {
                throw new IllegalArgumentException("held-out talkers must be at least 1 a group, got "
                        + heldOutTalkers);
            }
        }
    }

    /**
     * @param model what to serve ({@link DemoModel#load})
     * @param units the command line's units of {@code pnn data}, which put measurements into the model's layout
     */
    public VowelDemo(PrintWriter out, DemoModel model, FeatureUnits units, Options options) {
        this.out = out;
        this.model = model;
        this.units = units;
        this.options = options;
    }

    /** Runs the demo; returns the summary (also the --json-summary file). */
    public Map<String, Object> run() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> summary = new LinkedHashMap<>();
        Path state = Files.createTempDirectory("pnn-demo-");
        DemoVowels.Vowels held = DemoVowels.heldOut(model, units, options.heldOutTalkers());
        Dataset heldOut = held.features();
        List<String> talkers = held.talkers(); // group letter first: m, w, b, g
        step("1. MQTT broker (HiveMQ CE embedded) ...");
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            out.printf("   %s%n", broker.uri());
            step("2. Edge service: emulated SHG device + " + (options.shipped() ? "shipped bundle"
                    : "bundle " + model.bundle()));
            try (EdgeService service = EdgeService.start(config(broker, state));
                 Observer observer = new Observer(broker.uri(), "pnn/demo-pi");
                 Requester requester = new Requester(broker.uri(), "pnn/demo-pi/infer/request")) {
                if (!service.awaitMqtt(Duration.ofSeconds(WAIT_S))) {
                    throw new IllegalStateException("the service did not connect to the broker within " + WAIT_S + " s");
                }
                out.printf("   serving %s@%s on %s, device id %s%n", service.engine().modelId(),
                        service.engine().version(), service.link().describe(), service.deviceId());
                // what was served before the update of step 6 (ota.applied_version is its next minor version)
                Map<String, Object> served = new LinkedHashMap<>();
                served.put("model_id", service.engine().modelId());
                served.put("version", service.engine().version());
                summary.put("served", served);
                if (model.layout() != FeatureLayout.HZ12) {
                    out.printf("   feature layout %s: every vowel measured by the audio front end is put into it%s%n",
                            model.layout().id(), model.layout() == FeatureLayout.TALKER13
                                    ? " (G of a talker from its earlier words, G0(F0) for its first; audio.md)" : "");
                }

                step("3. Classifying held-out synthetic vowels of men, women and children over MQTT (request/response)");
                out.printf("   %d vowels of %d new synthetic talker%s a group (seed %d, in no training set), rendered "
                        + "and measured by the audio front end%s%n", heldOut.size(), options.heldOutTalkers(),
                        options.heldOutTalkers() == 1 ? "" : "s", DemoVowels.HELD_OUT_SEED,
                        held.rejected().isEmpty() ? "" : "; it could not measure " + held.rejected().size()
                                + " (dropped): " + String.join(", ", held.rejected()));
                int[] hits = new int[heldOut.size()];
                double acc = classifyAll(requester, heldOut, true, hits);
                summary.put("accuracy", round(acc));
                summary.put("accuracy_by_group", byGroup(talkers, hits));
                summary.put("held_out_vowels", heldOut.size());
                summary.put("feature_layout", service.engine().featureLayout());

                step("3b. Sound in: /hVd/ words of a synthesized man, woman and girl -> audio front end -> MQTT");
                summary.put("heard", hearWords(requester));
                List<String> words = model.vowels().stream().map(Vowel::word).toList();
                out.printf("   your own voice: ./pnn listen --device '%s' --bundle %s, then say %s or %s (how it does"
                        + " on speech-synthesizer voices: BENCHMARKS.md, Spoken /hVd/ words)%n", DEVICE_URI,
                        options.listenBundle(), String.join(", ", words.subList(0, words.size() - 1)),
                        words.get(words.size() - 1));

                int telemetry = observer.telemetry.get();
                out.printf("   telemetry messages received by a separate subscriber so far: %d%n", telemetry);

                summary.put("recalibration", driftAndRecalibrate(service, observer, requester, heldOut));
                summary.put("ota", updateOverTheAir(service, observer, requester, heldOut));

                Thread.sleep(1100); // one more telemetry period
                summary.put("inferences", service.stats().snapshot().inferences());
                summary.put("telemetry_received", observer.telemetry.get());
                out.printf("%n   telemetry received: %d messages; inferences served: %d%n", observer.telemetry.get(),
                        service.stats().snapshot().inferences());
                EnergyLedger.Snapshot e = service.energy();
                Map<String, Object> energy = new LinkedHashMap<>();
                energy.put("device_source", e.deviceSource());
                energy.put("per_inference_mean_j", e.meanJoules());
                energy.put("per_inference_p95_j", e.p95Joules());
                energy.put("device_j", e.deviceJoules());
                energy.put("link_j", e.linkJoules());
                energy.put("host_j", e.hostJoules());
                energy.put("total_j", e.totalJoules());
                summary.put("energy", energy);
                out.printf("   energy per inference: %.3g J mean, %.3g J p95 (device %.3g J %s, link %.3g J, host %.3g J "
                        + "on a %s core); %.3g J in total%n", e.meanJoules(), e.p95Joules(), e.deviceJoules(),
                        e.deviceSource(), e.linkJoules(), e.hostJoules(), e.host(), e.totalJoules());
            }
        } finally {
            EmbeddedBroker.deleteTree(state);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        summary.put("seconds", round(seconds));
        out.printf("done in %.1f s%n", seconds);
        return summary;
    }

    private RuntimeConfig config(EmbeddedBroker broker, Path tmp) throws IOException {
        // trusted: the keys that sign the served bundle (by default the release key of the shipped one), and this
        // user's development key that signs the demo's own update (created on first use, never in git); the demo
        // accepts development keys, a Pi does not
        Path keys = Files.createDirectories(tmp.resolve("trusted-keys"));
        for (TrustedKey k : model.trusted().keys()) {
            KeyFiles.writePublic(keys.resolve("trusted-" + k.keyId() + ".pub"), k.publicKey(), k.development(), true);
        }
        KeyFiles.writePublic(keys.resolve("pnn-dev.pub"), model.devKey().publicKey(), true, true);
        Path state = tmp.resolve("state");
        return RuntimeConfig.load(null, Map.of(), Map.of(
                "device.uri", DEVICE_URI,
                "device.id", "demo-pi",
                "state.dir", state.toString(),
                "bundle.initial", model.bundle().toString(),
                "bundle.trusted_keys", keys.toString(),
                "bundle.allow_development_keys", "true",
                "mqtt.broker", broker.uri(),
                // the demo's broker runs inside this process on loopback: nobody else can publish the
                // recalibrate command of step 5 (a real deployment needs the ACLs of mqtt.md for this)
                "mqtt.broker_acl", "true",
                "telemetry.interval", "PT1S",
                "recal.interval", "PT0S"));
    }

    /** Steps 4 and 5: warm the device, see accuracy drop, recalibrate over MQTT, see it recover. */
    private Map<String, Object> driftAndRecalibrate(EdgeService service, Observer observer, Requester requester,
                                                    Dataset heldOut) throws Exception {
        step("4. Drift: the lab warms by 10 K for 20 minutes");
        var lab = service.link().lab().orElseThrow();
        lab.setAmbientTemperature(32);
        lab.advanceClock(1200);
        double drifted = classifyAll(requester, heldOut, false, null);
        out.printf("   accuracy after warming: %.1f %%%n", 100 * drifted);

        step("5. Recalibration on command (pnn/demo-pi/cmd/recalibrate)");
        observer.publish("pnn/demo-pi/cmd/recalibrate", "{}");
        JsonNode report = observer.recal.poll(WAIT_S, TimeUnit.SECONDS);
        if (report == null) {
            throw new IllegalStateException("no recalibration report within " + WAIT_S + " s");
        }
        out.printf("   report: adopted=%s, probe error %s -> %s, %.2f s (inference paused %.2f s)%n",
                report.path("adopted").asText(), pct(report.at("/probeErrorBefore/rmsRelative")),
                pct(report.at("/probeErrorAfter/rmsRelative")),
                report.path("durationSeconds").asDouble(), report.path("pauseSeconds").asDouble());
        double recovered = classifyAll(requester, heldOut, false, null);
        out.printf("   accuracy after recalibration: %.1f %%%n", 100 * recovered);
        Map<String, Object> recal = new LinkedHashMap<>();
        recal.put("accuracy_before", round(drifted));
        recal.put("accuracy_after", round(recovered));
        recal.put("adopted", report.path("adopted").asBoolean());
        return recal;
    }

    /** Steps 6 and 7: push a retrained bundle over the air, then a tampered one that must be refused. */
    private Map<String, Object> updateOverTheAir(EdgeService service, Observer observer, Requester requester,
                                                 Dataset heldOut) throws Exception {
        step("6. Over-the-air update: retrain against the warm device, sign, publish");
        SemVer serving = service.bundle().manifest().version();
        String next = SemVer.of(serving.major(), serving.minor() + 1, 0).toString(); // 1.0.0 -> 1.1.0
        byte[] v110 = DemoUpdate.retrain(service, model, units, out, next);
        observer.otaStatus.clear();
        observer.publishBytes("pnn/demo-pi/ota/bundle", v110);
        JsonNode applied = observer.finalOtaStatus();
        out.printf("   %s %s@%s (%s)%n", applied.path("step").asText(), applied.path("model_id").asText(),
                applied.path("version").asText(), applied.path("message").asText());
        double afterOta = classifyAll(requester, heldOut, false, null);
        out.printf("   accuracy with %s: %.1f %%%n", service.engine().version(), 100 * afterOta);

        step("7. A tampered bundle: one parameter changed after signing");
        byte[] tampered = DemoUpdate.tamper(v110);
        observer.otaStatus.clear();
        observer.publishBytes("pnn/demo-pi/ota/bundle", tampered);
        JsonNode refused = observer.finalOtaStatus();
        out.printf("   %s [%s]: %s; still serving %s%n", refused.path("step").asText(),
                refused.path("reason").asText(), refused.path("message").asText(), service.engine().version());
        Map<String, Object> ota = new LinkedHashMap<>();
        ota.put("applied_version", "SWITCHED".equals(applied.path("step").asText())
                ? applied.path("version").asText() : null);
        ota.put("accuracy_after_update", round(afterOta));
        ota.put("feature_layout", service.engine().featureLayout()); // the update's: trained in the same layout
        ota.put("rejected_tampered", "REJECTED".equals(refused.path("step").asText()));
        ota.put("rejected_reason", refused.path("reason").asText());
        return ota;
    }

    private void step(String s) {
        out.printf("%n== %s%n", s);
        out.flush();
    }

    /**
     * Accuracy of each talker group (men, women, boys, girls, and children = boys and girls) from per-row hits.
     *
     * @param talkers each row's talker id, whose first letter is the group's ({@link TalkerGroup#prefix()})
     */
    Map<String, Object> byGroup(List<String> talkers, int[] hits) {
        Map<String, Object> groups = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder("   by group:");
        for (String[] g : new String[][] {{"men", "m"}, {"women", "w"}, {"boys", "b"}, {"girls", "g"},
                {"children", "bg"}}) {
            int ok = 0;
            int n = 0;
            for (int i = 0; i < hits.length; i++) {
                if (g[1].indexOf(talkers.get(i).charAt(0)) >= 0) {
                    ok += hits[i];
                    n++;
                }
            }
            if (n > 0) {
                groups.put(g[0], round(ok / (double) n));
                line.append(String.format(Locale.ROOT, " %s %.1f %% (%d/%d)%s", g[0], 100.0 * ok / n, ok, n,
                        g[0].equals("children") ? "" : ","));
            }
        }
        out.println(line);
        return groups;
    }

    /** Classifies every row over MQTT; {@code hits}, when given, gets 1 for each row answered right. */
    private double classifyAll(Requester requester, Dataset d, boolean print, int[] hits) throws Exception {
        int ok = 0;
        for (int i = 0; i < d.size(); i++) {
            JsonNode a = requester.classify(d.features()[i]);
            if (a.has("error")) {
                throw new IllegalStateException("service answered an error: " + RequestError.message(a));
            }
            String truth = d.labelNames().get(d.labels()[i]);
            boolean hit = truth.equals(a.path("label").asText());
            if (hit) {
                ok++;
            }
            if (hits != null) {
                hits[i] = hit ? 1 : 0;
            }
            if (print) {
                out.printf("   %3d  %-3s -> %-3s %s  confidence %.2f   running accuracy %5.1f %%%n", i + 1, truth,
                        a.path("label").asText(), hit ? "ok" : "--", a.path("confidence").asDouble(),
                        100.0 * ok / (i + 1));
            }
        }
        double acc = ok / (double) d.size();
        if (print) {
            out.printf("   accuracy %.1f %% on %d held-out vowels%n", 100 * acc, d.size());
        }
        return acc;
    }

    /**
     * Sound in, vowel out: each talker's mean /hVd/ words rendered by the formant synthesizer, measured by the audio
     * front end (what `pnn classify --wav` and `pnn listen` do), classified by the service over MQTT.
     */
    private Map<String, Object> hearWords(Requester requester) throws Exception {
        DemoVowels.Vowels words = DemoVowels.words(model, units);
        Dataset d = words.features();
        int ok = 0;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            JsonNode a = requester.classify(d.features()[i]);
            if (a.has("error")) {
                throw new IllegalStateException("service answered an error: " + RequestError.message(a));
            }
            Vowel v = model.vowels().get(d.labels()[i]);
            boolean hit = v.code().equals(a.path("label").asText());
            ok += hit ? 1 : 0;
            line.append(String.format(Locale.ROOT, " %s->%s%s", v.word(), a.path("label").asText(), hit ? "" : "(x)"));
            if (i + 1 == d.size() || !words.talkers().get(i + 1).equals(words.talkers().get(i))) {
                out.printf("   %-6s%s%n", words.talkers().get(i), line);
                line.setLength(0);
            }
        }
        out.printf("   %d of %d words heard right%n", ok, d.size());
        Map<String, Object> heard = new LinkedHashMap<>();
        heard.put("words", d.size());
        heard.put("accuracy", round(ok / (double) d.size()));
        return heard;
    }

    private static String pct(JsonNode n) {
        return n.isNumber() ? "%.1f %%".formatted(100 * n.asDouble()) : "n/a";
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

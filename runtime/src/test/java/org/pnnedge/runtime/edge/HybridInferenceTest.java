package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.pnn.LayerOps;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.Prediction;

/**
 * The runtime serves a hybrid network (a 784-value image in, a digital projection time-multiplexed over shots, a
 * digital readout) from a format-2 bundle, with the answers of the trainer's own evaluation.
 */
class HybridInferenceTest {
    static final int PIXELS = 784;

    /** Two classes of 28×28 "images": a bright left or a bright right half, with noise. */
    static double[][] images(int n, int[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][PIXELS];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int p = 0; p < PIXELS; p++) {
                boolean left = p % 28 < 14;
                x[i][p] = Math.max(0, (left == (labels[i] == 0) ? 0.6 : 0.1) + 0.2 * r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void servesA784PixelHybridBundle() throws Exception {
        int[] labels = new int[60];
        double[][] x = images(60, labels, 1);
        double[] off = new double[PIXELS];
        double[] scale = new double[PIXELS];
        java.util.Arrays.fill(off, 0.35);
        java.util.Arrays.fill(scale, 0.3);
        double[][] z = new double[x.length][PIXELS];
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < PIXELS; p++) {
                z[i][p] = (x[i][p] - off[p]) / scale[p];
            }
        }
        String uri = "emulator:shg?seed=1&timing=zero&noise=off&drift=off";
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
            PnnArchitecture arch = PnnArchitecture.hybrid(1, PIXELS, 16, 32, 16, 2, LayerOps.DEEP, 32);
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            PnnModel model = new PnnTrainer(TrainingMode.PAT, 1, 5, 10, 0.01, 1.0, 1).train(arch, List.of("L", "R"),
                    off, scale, z, labels, null, null, device, ShgTwin.initial(), e -> { }).model();
            SigningKey key = KeyFiles.generate(false);
            BundleManifest m = PnnBundles.manifest("halves", "1.0.0", model, link.info(), null, List.of(), null,
                    Map.of());
            ModelBundle b = Bundles.load(Bundles.sign(m, key), TrustedKeys.of(key.trusted()));
            assertEquals(2, b.manifest().formatVersion());

            InferenceEngine engine = new InferenceEngine(link, b);
            assertEquals(PIXELS, engine.features());
            assertEquals(2, engine.shotsPerInference());
            Prediction p = engine.newPrediction();
            int[][] confusion = new int[2][2];
            PnnTrainer.evaluate(model, z, labels, device, 1, confusion);
            int ok = 0;
            for (int i = 0; i < x.length; i++) {
                engine.classify(x[i], p);
                ok += p.label() == labels[i] ? 1 : 0;
            }
            assertEquals(confusion[0][0] + confusion[1][1], ok, "the engine answers as the trainer's evaluation");
            assertTrue(ok >= 54, "a 784-pixel task the hybrid network learns: " + ok + "/60");
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> engine.classify(new double[12], p));
            assertTrue(wrong.getMessage().contains("expected 784 features, got 12"), wrong.getMessage());

            // the service: a 784-value request on the control socket (the handler MQTT requests use too)
            Path dir = Files.createTempDirectory("hybrid-service");
            Path bundleFile = dir.resolve("halves.pnnb");
            Path pub = dir.resolve("k.pub");
            Bundles.write(bundleFile, m, key, false);
            KeyFiles.writePublic(pub, key.publicKey(), false, false);
            Path state = dir.resolve("state");
            RuntimeConfig cfg = RuntimeConfig.load(null, Map.of(), Map.of("device.uri", uri, "state.dir",
                    state.toString(), "bundle.initial", bundleFile.toString(), "bundle.trusted_keys", pub.toString()));
            try (EdgeService service = EdgeService.start(cfg)) {
                ObjectNode req = ControlServer.MAPPER.createObjectNode();
                req.put("op", "classify");
                var arr = req.putArray("features");
                for (double v : x[1]) {
                    arr.add(v);
                }
                JsonNode a = ControlServer.request(state.resolve("control.sock"), req, Duration.ofSeconds(10));
                engine.classify(x[1], p);
                assertEquals(engine.labels().get(p.label()), a.path("label").asText(), a.toString());
            }
        }
    }

    @Test
    void aNetworkTheRuntimeCannotServeIsRefusedWithTheReason() throws Exception {
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open("emulator:shg?seed=1&timing=zero")) {
            PnnArchitecture arch = PnnArchitecture.physical(2, 12, 16, 32, 16, 7, LayerOps.DEEP);
            double[] ones = new double[12];
            java.util.Arrays.fill(ones, 1);
            PnnModel model = new PnnModel(arch, List.of("a", "b", "c", "d", "e", "f", "g"), new double[12], ones,
                    new int[2][32], new double[2][16], new double[2][16], new double[2][16], new double[7],
                    new double[7], new double[16]);
            BundleManifest m = PnnBundles.manifest("x", "1.0.0", model, link.info(), null, List.of(), null, Map.of());
            ObjectNode net = (ObjectNode) PnnBundles.networkJson(model);
            ((ObjectNode) net.get("architecture").get("ops")).put("range", "cubic");
            BundleManifest bad = BundleManifest.builder("x", "1.0.0", m.device()).formatVersion(2).labels(m.labels())
                    .normalization(m.normalization()).network(net).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PnnBundles.model(bad));
            assertTrue(e.getMessage().contains("unknown range keeping 'cubic'"), e.getMessage());
        }
    }
}

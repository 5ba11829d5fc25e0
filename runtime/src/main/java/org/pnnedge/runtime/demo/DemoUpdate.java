package org.pnnedge.runtime.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.TwinCodec;
import org.pnnedge.runtime.edge.EdgeService;

/** Steps 6 and 7's bundles: the update retrained against the warm device, and a tampered copy of it. */
final class DemoUpdate {
    private DemoUpdate() {
    }

    /**
     * What an offline trainer does against the device (normally through {@code pnn device serve}): physics-aware
     * training on synthetic vowels with the bundle's twin, fresh reference probes, a signed bundle.
     */
    static byte[] retrain(EdgeService service, DemoModel model, FeatureUnits units, PrintWriter out, String version)
            throws Exception {
        long t0 = System.nanoTime();
        Dataset train = DemoVowels.retraining(model, units); // in the served model's layout, before the device pauses
        if (model.layout() != FeatureLayout.HZ12) {
            out.printf("   training data: %d vowels of new synthetic talkers measured by the audio front end, in %s "
                    + "(%.1f s)%n", train.size(), model.layout().id(), (System.nanoTime() - t0) / 1e9);
        }
        Normalization zn = Normalization.zScore(train);
        Dataset tr = zn.apply(train);
        BundleManifest current = service.bundle().manifest();
        var twin = TwinCodec.fromJson(current.twin());
        service.deviceLock().lock(); // inference pauses while the trainer has the device
        try {
            var link = service.link();
            // the serving model's own architecture (the shipped bundle: 3 deep layers), fewer epochs than offline
            PnnArchitecture arch = PnnBundles.model(current).architecture();
            boolean legacy = arch.ops().legacy();
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            PnnTrainer.Result r = new PnnTrainer(TrainingMode.PAT, arch.layers(), legacy ? 400 : 150, 8,
                    PnnTrainer.defaultLearningRate(arch.layers()), 1.0, legacy, 11).train(arch, train.labelNames(),
                    zn.offset(), zn.scale(), tr.features(), tr.labels(), null, null, device, twin, e -> { });
            PnnModel m = r.model();
            var probes = PnnBundles.measureProbes(m, tr.features(), 4, 8, device);
            service.engine().loadParameters(); // the trainer used the serving slot
            out.printf("   retrained %s in %.1f s%n", version, r.seconds());
            return Bundles.sign(PnnBundles.manifest(current.modelId(), version, m, link.info(), twin, probes,
                    current.provenance(), Map.of(), current.featureLayout()), model.devKey());
        } finally {
            service.deviceLock().unlock();
        }
    }

    /** Changes one digit inside the signed payload and re-encodes it: the signature no longer covers it. */
    static byte[] tamper(byte[] bundle) throws IOException {
        ObjectNode envelope = (ObjectNode) VowelDemo.MAPPER.readTree(bundle);
        byte[] payload = Base64.getDecoder().decode(envelope.get("payload").asText());
        String text = new String(payload, StandardCharsets.UTF_8);
        int i = text.indexOf("\"params\":[") + 10;
        char c = text.charAt(i);
        String changed = text.substring(0, i) + (c == '9' ? '8' : (char) (c + 1)) + text.substring(i + 1);
        envelope.put("payload", Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8)));
        return VowelDemo.MAPPER.writeValueAsBytes(envelope);
    }
}

package org.pnnedge.models.pnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.bundle.Provenance;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.Twin;
import org.pnnedge.models.twin.TwinCodec;
import org.pnnedge.models.twin.TwinFitter;

/** A trained two-layer model through the signed bundle and back, on the emulator without noise. */
class PnnBundlesTest {
    static final String CLEAN = "emulator:shg?seed=2&noise=off&drift=off&timing=zero";

    static DeviceContext ctx;
    static DeviceLink link;
    static PhysicalLayers.OnDevice device;
    static TrainableTwin twin;
    static PnnModel model;
    static double[][] z;
    static int[] labels;
    static List<Probe> probes;
    static BundleManifest manifest;

    @BeforeAll
    static void train() {
        ctx = DeviceContext.create();
        link = ctx.open(CLEAN);
        device = new PhysicalLayers.OnDevice(link);
        Characterization c = Characterizer.of(1500, 3).measure(link, d -> { });
        twin = new TwinFitter(8, 64, 1e-2, 0.1, 3, null).fit(ShgTwin.initial(), c, false, p -> { }).twin();
        Dataset data = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(12).seed(5)
                .build();
        Normalization zn = Normalization.zScore(data);
        Dataset d = zn.apply(data);
        z = d.features();
        labels = d.labels();
        PnnArchitecture arch = new PnnArchitecture(2, 12, 16, 32, 16, PnnArchitecture.spreadChannels(7, 16));
        model = new PnnTrainer(TrainingMode.PAT, 2, 4, 8, 0.03, 1.0, 1).train(arch, data.labelNames(), zn.offset(),
                zn.scale(), z, labels, null, null, device, twin, e -> { }).model();
        probes = PnnBundles.measureProbes(model, z, 4, 8, device);
        Provenance prov = new Provenance(data.contentHash(), 1L, "test", "PnnTrainer/PAT", null, "tester", "ci");
        manifest = PnnBundles.manifest("vowels7", "1.2.3", model, link.info(), twin, probes, prov,
                Map.of("accuracy", 0.5));
    }

    @AfterAll
    static void close() {
        ctx.close();
    }

    static double[][] logits(PnnModel m) {
        PnnPass pass = new PnnPass(m.architecture(), z.length);
        pass.forward(m.toParameters(device.maxDac()), z, z.length, device);
        double[][] out = new double[z.length][];
        for (int b = 0; b < z.length; b++) {
            out[b] = pass.logits[b].clone();
        }
        return out;
    }

    @Test
    void aFeatureLayoutTravelsInAFormat2BundleAndTheLegacyOneWritesNoField() throws Exception {
        assertEquals(1, manifest.formatVersion(), "a legacy network with the legacy layout stays format 1");
        assertNull(manifest.featureLayout());
        BundleManifest legacy = PnnBundles.manifest("vowels7", "1.2.3", model, link.info(), null, probes, null,
                Map.of(), PnnBundles.LEGACY_LAYOUT);
        assertEquals(1, legacy.formatVersion());
        assertNull(legacy.featureLayout(), "hz12 is written as no field, as before layouts");
        BundleManifest bark = PnnBundles.manifest("vowels7", "1.2.3", model, link.info(), null, probes, null,
                Map.of(), "bark13");
        assertEquals(2, bark.formatVersion(), "older runtimes must refuse it by its version");
        SigningKey key = KeyFiles.generate(false);
        ModelBundle loaded = Bundles.load(Bundles.sign(bark, key), TrustedKeys.of(key.trusted()));
        assertEquals("bark13", loaded.manifest().featureLayout());
        PnnModel back = PnnBundles.model(loaded.manifest());
        assertEquals(model.architecture(), back.architecture());
        assertTrue(Arrays.deepEquals(logits(model), logits(back)), "the same network, written as format 2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleManifest.builder("m", "1.0.0", manifest.device()).network(manifest.network())
                        .featureLayout("bark13").build());
        assertTrue(e.getMessage().contains("featureLayout needs formatVersion 2"), e.getMessage());
    }

    @Test
    void signedBundleGivesBackAnEqualModel() throws Exception {
        SigningKey key = KeyFiles.generate(false);
        byte[] bytes = Bundles.sign(manifest, key);
        ModelBundle loaded = Bundles.load(bytes, TrustedKeys.of(key.trusted()));
        assertEquals(key.keyId(), loaded.keyId());
        loaded.requireCompatible(link.info());
        PnnModel back = PnnBundles.model(loaded.manifest());
        assertEquals(model.architecture(), back.architecture());
        assertEquals(model.labels(), back.labels());
        assertTrue(Arrays.deepEquals(model.thetaCodes(), back.thetaCodes()), "codes");
        assertTrue(Arrays.deepEquals(model.gain(), back.gain()), "gains");
        assertTrue(Arrays.deepEquals(model.offset(), back.offset()), "offsets");
        assertArrayEquals(model.readGain(), back.readGain(), 0.0);
        assertArrayEquals(model.readOffset(), back.readOffset(), 0.0);
        assertArrayEquals(model.featureOffset(), back.featureOffset(), 0.0);
        assertArrayEquals(model.featureScale(), back.featureScale(), 0.0);
        // equal predictions on the device: bit-identical logits without noise
        double[][] a = logits(model);
        double[][] b = logits(back);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0.0, "logits of sample " + i);
        }
        int[][] ca = new int[7][7];
        int[][] cb = new int[7][7];
        PnnTrainer.evaluate(model, z, labels, device, 1, ca);
        PnnTrainer.evaluate(back, z, labels, device, 1, cb);
        assertTrue(Arrays.deepEquals(ca, cb));
        // the twin travels too
        Twin t = TwinCodec.fromJson(loaded.manifest().twin());
        double[] x = new double[16];
        double[] th = new double[32];
        Arrays.fill(x, 0.4);
        Arrays.fill(th, 0.6);
        double[] y1 = new double[16];
        double[] y2 = new double[16];
        twin.forward(x, th, y1, twin.newWorkspace());
        t.forward(x, th, y2, t.newWorkspace());
        assertArrayEquals(y1, y2, 0.0);
        assertEquals(0.5, loaded.manifest().metrics().get("accuracy"));

        // another key is not trusted
        SigningKey other = KeyFiles.generate(false);
        assertThrows(BundleException.class, () -> Bundles.load(bytes, TrustedKeys.of(other.trusted())));
    }

    @Test
    void probesAreWhatTheDeviceGives() {
        assertEquals(2 * 4, probes.size(), "4 probes per layer");
        int maxAdc = link.info().maxAdcCode();
        int[][] codes = model.thetaCodes();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            assertEquals(i / 4, p.layer());
            assertEquals(16, p.input().length);
            assertEquals(16, p.expectedOutput().length);
            assertEquals(16, p.outputStd().length);
            assertNull(p.params(), "probes use the layer's own parameters");
            assertEquals(8, p.repeats());
            for (int v : p.input()) {
                assertTrue(v >= 0 && v <= link.info().maxDacCode());
            }
            for (double v : p.expectedOutput()) {
                assertTrue(v >= 0 && v <= maxAdc, "expected output " + v);
            }
            for (double s : p.outputStd()) {
                assertEquals(0.0, s, "noise off: no spread");
            }
            // shoot it again: noise and drift are off, so the device gives exactly the recorded output
            int spare = link.info().slots() - 1; // not a model slot: the trained layers stay loaded
            link.loadParams(spare, codes[p.layer()]);
            int[] out = link.shot(spare, p.input());
            for (int k = 0; k < 16; k++) {
                assertEquals(p.expectedOutput()[k], out[k], 0.0, "probe " + i + " output " + k);
            }
        }
        assertTrue(Arrays.stream(probes.get(0).expectedOutput()).sum() > 0, "probes see light");
        assertEquals(probes, manifest.probes());
    }

    static BundleManifest withNetwork(Consumer<ObjectNode> edit) {
        ObjectNode n = (ObjectNode) manifest.network();
        edit.accept(n);
        return new BundleManifest(manifest.formatVersion(), manifest.modelId(), manifest.version(), manifest.created(),
                manifest.labels(), manifest.normalization(), manifest.featureLayout(), manifest.device(), n,
                manifest.twin(), manifest.probes(),
                manifest.provenance(), manifest.metrics());
    }

    static void assertNames(String field, Consumer<ObjectNode> edit) {
        BundleManifest m = withNetwork(edit);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PnnBundles.model(m));
        assertTrue(e.getMessage().contains(field), "'" + e.getMessage() + "' should name '" + field + "'");
    }

    @Test
    void missingNetworkFieldsAreNamed() {
        JsonNode net = manifest.network();
        assertEquals(2, net.get("layers").size());
        assertEquals(0, net.get("layers").get(0).get("slot").asInt());
        assertEquals(1, net.get("layers").get(1).get("slot").asInt());
        // unchanged it reads fine
        assertEquals(model.architecture(), PnnBundles.model(withNetwork(n -> { })).architecture());

        assertNames("architecture", n -> n.remove("architecture"));
        for (String f : new String[] {"layers", "features", "inputs", "params", "outputs", "classChannels"}) {
            assertNames(f, n -> ((ObjectNode) n.get("architecture")).remove(f));
        }
        assertNames("layers", n -> n.remove("layers"));
        assertNames("layers", n -> ((ArrayNode) n.get("layers")).remove(1));
        for (String f : new String[] {"params", "gain", "offset"}) {
            assertNames(f, n -> ((ObjectNode) n.get("layers").get(1)).remove(f));
        }
        assertNames("readout", n -> n.remove("readout"));
        assertNames("gain", n -> ((ObjectNode) n.get("readout")).remove("gain"));
        assertNames("offset", n -> ((ObjectNode) n.get("readout")).remove("offset"));
        assertNames("offset", n -> ((ObjectNode) n.get("readout")).putNull("offset"));
        // wrong lengths are caught by the model
        assertThrows(IllegalArgumentException.class, () -> PnnBundles.model(withNetwork(
                n -> ((ArrayNode) n.get("layers").get(0).get("gain")).remove(0))));
    }
}

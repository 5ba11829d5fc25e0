package org.pnnedge.runtime.ota;

import org.pnnedge.runtime.device.DeviceAccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pnnedge.runtime.ota.OtaFixtures.DEFAULT;
import static org.pnnedge.runtime.ota.OtaFixtures.DEFAULT_BUNDLE;
import static org.pnnedge.runtime.ota.OtaFixtures.TRUSTED;
import static org.pnnedge.runtime.ota.OtaFixtures.assertConsistent;
import static org.pnnedge.runtime.ota.OtaFixtures.sign;
import static org.pnnedge.runtime.ota.OtaFixtures.variant;
import static org.pnnedge.runtime.ota.OtaFixtures.version;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException.Reason;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.DeviceRequirements;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.ota.OtaStatus.Step;

/** Updates on the emulated SHG device the default bundle was trained for (seed 1, no noise). */
class OtaUpdaterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static DeviceContext ctx;
    static DeviceLink link;
    static List<Probe> seed1Probes;
    static List<Probe> seed7Probes;
    static byte[] v110;
    static byte[] v120;

    @TempDir
    Path dir;
    BundleStore store;
    List<OtaStatus> statuses;
    List<ModelBundle> activated;

    @BeforeAll
    static void device() {
        ctx = DeviceContext.create();
        link = ctx.open(OtaFixtures.SEED1);
        try (DeviceContext other = DeviceContext.create()) {
            seed1Probes = OtaFixtures.probesOn(other.open(OtaFixtures.SEED1));
            seed7Probes = OtaFixtures.probesOn(other.open(OtaFixtures.SEED7));
        }
        v110 = sign(variant("1.1.0", seed1Probes));
        v120 = sign(variant("1.2.0", seed1Probes));
    }

    @AfterAll
    static void close() {
        ctx.close();
    }

    @BeforeEach
    void open() throws Exception {
        store = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        statuses = new ArrayList<>();
        activated = new ArrayList<>();
    }

    OtaUpdater updater(SelfTest selfTest) {
        return OtaUpdater.builder(store, link.info()).selfTest(selfTest).activation(activated::add)
                .listener(statuses::add).deviceId("pi-7").build();
    }

    OtaUpdater updater() {
        return updater(new ProbeSelfTest(link));
    }

    List<Step> steps() {
        return statuses.stream().map(OtaStatus::step).toList();
    }

    @Test
    void goodBundleIsAppliedWithAStatusAtEveryStep() throws Exception {
        OtaStatus s = updater().apply(v110, UpdateOptions.defaults().withUpdateId("u-1").withSource("test"));
        assertEquals(Step.SWITCHED, s.step(), s.message());
        assertEquals(List.of(Step.RECEIVED, Step.VERIFIED, Step.STAGED, Step.SELF_TESTED, Step.SWITCHED), steps());
        assertTrue(statuses.stream().allMatch(x -> x.updateId().equals("u-1") && "pi-7".equals(x.deviceId())));
        ModelBundle expected = OtaFixtures.load(v110);
        assertEquals("1.1.0", s.version());
        assertEquals("vowels7", s.modelId());
        assertEquals(expected.payloadSha256(), s.sha256());
        assertEquals(OtaFixtures.KEY.keyId(), s.keyId());
        assertEquals("1.1.0", s.activeVersion());
        assertNull(s.reason());
        assertTrue(s.message().contains("1.0.0 kept for rollback"), s.message());
        assertTrue(statuses.get(3).message().contains("reference probes within tolerance"), statuses.get(3).message());
        // the service was told, the store serves the new one, the old one is kept
        assertEquals(1, activated.size());
        assertEquals(expected.payloadSha256(), activated.get(0).payloadSha256());
        assertEquals("1.1.0", version(store.active()));
        assertEquals("1.0.0", version(store.previous().orElseThrow()));
        assertArrayEquals(v110, Files.readAllBytes(dir.resolve(BundleStore.ACTIVE)));
        assertArrayEquals(DEFAULT_BUNDLE, Files.readAllBytes(dir.resolve(BundleStore.PREVIOUS)));
        assertConsistent(dir);
        // and after a restart
        BundleStore again = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        assertTrue(again.recovery().clean(), again.recovery().toString());
        assertEquals("1.1.0", version(again.active()));
        // a second update moves the chain on
        assertEquals(Step.SWITCHED, updater().apply(v120, null).step());
        assertEquals("1.2.0", version(store.active()));
        assertEquals("1.1.0", version(store.previous().orElseThrow()));
    }

    @Test
    void statusJsonRoundTrips() {
        updater().apply(v110, UpdateOptions.defaults().withUpdateId("abc"));
        for (OtaStatus s : statuses) {
            OtaStatus back = OtaStatus.fromJson(s.toJsonBytes());
            assertEquals(s, back);
        }
        String json = statuses.get(statuses.size() - 1).toJson();
        assertTrue(json.contains("\"step\":\"SWITCHED\"") && json.contains("\"outcome\":\"switched\"")
                && json.contains("\"final\":true") && json.contains("\"device\":\"pi-7\""), json);
    }

    // ---- rejections: the old bundle keeps serving, nothing is left on disk

    void assertRejected(byte[] bundle, String reason) throws Exception {
        assertRejected(bundle, reason, UpdateOptions.defaults());
    }

    void assertRejected(byte[] bundle, String reason, UpdateOptions o) throws Exception {
        statuses.clear();
        activated.clear();
        OtaStatus s = updater().apply(bundle, o);
        assertEquals(Step.REJECTED, s.step(), s.message());
        assertEquals(reason, s.reason(), s.message());
        assertEquals(List.of(Step.RECEIVED, Step.REJECTED), steps());
        assertTrue(s.message().contains("1.0.0 keeps serving") || s.reason().equals(OtaStatus.REASON_ALREADY_ACTIVE),
                s.message());
        assertEquals("1.0.0", s.activeVersion());
        assertEquals(List.of(), activated);
        assertEquals("1.0.0", version(store.active()));
        assertTrue(store.previous().isEmpty());
        assertArrayEquals(DEFAULT_BUNDLE, Files.readAllBytes(dir.resolve(BundleStore.ACTIVE)));
        assertConsistent(dir);
        assertEquals("1.0.0", version(BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE).active()));
    }

    static byte[] editEnvelope(byte[] bundle, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode env = (ObjectNode) JSON.readTree(bundle);
        edit.accept(env);
        return JSON.writeValueAsBytes(env);
    }

    @Test
    void badSignature() throws Exception {
        byte[] b = editEnvelope(v110, env -> {
            byte[] sig = Base64.getDecoder().decode(env.get("signature").get("value").asText());
            sig[10] ^= 1;
            ((ObjectNode) env.get("signature")).put("value", Base64.getEncoder().encodeToString(sig));
        });
        assertRejected(b, Reason.BAD_SIGNATURE.code());
    }

    @Test
    void tamperedPayload() throws Exception {
        // change the version inside the payload: the hash no longer matches
        byte[] hashMismatch = editEnvelope(v110, env -> {
            String p = new String(Base64.getDecoder().decode(env.get("payload").asText()), StandardCharsets.UTF_8);
            env.put("payload", Base64.getEncoder().encodeToString(p.replace("\"1.1.0\"", "\"9.1.0\"")
                    .getBytes(StandardCharsets.UTF_8)));
        });
        assertRejected(hashMismatch, Reason.HASH_MISMATCH.code());
        // and with the hash fixed up too: the signature fails
        byte[] fixedHash = editEnvelope(hashMismatch, env -> {
            byte[] p = Base64.getDecoder().decode(env.get("payload").asText());
            try {
                env.put("payloadSha256", java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(p)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        });
        assertRejected(fixedHash, Reason.BAD_SIGNATURE.code());
    }

    @Test
    void untrustedKey() throws Exception {
        assertRejected(Bundles.sign(variant("1.1.0", seed1Probes), KeyFiles.generate(false)),
                Reason.UNTRUSTED_KEY.code());
    }

    @Test
    void wrongPhysicsKind() throws Exception {
        DeviceRequirements d = DEFAULT.device();
        DeviceRequirements circuit = new DeviceRequirements("circuit", d.protocolVersion(), d.inputs(), d.params(),
                d.outputs(), d.dacBits(), d.adcBits());
        assertRejected(sign(variant("1.1.0", seed1Probes, circuit)), Reason.WRONG_PHYSICS.code());
    }

    @Test
    void incompatibleDevice() throws Exception {
        DeviceRequirements d = DEFAULT.device();
        DeviceRequirements other = new DeviceRequirements("shg", d.protocolVersion(), d.inputs(), d.params(),
                d.outputs(), d.dacBits(), 16 - 1);
        assertRejected(sign(variant("1.1.0", List.of(), other)), Reason.INCOMPATIBLE_DEVICE.code());
    }

    @Test
    void downgradeAndSameVersionAreRefusedUnlessAllowed() throws Exception {
        byte[] older = sign(variant("0.9.0", seed1Probes));
        assertRejected(older, Reason.DOWNGRADE.code());
        assertRejected(sign(variant("1.0.0", seed1Probes)), Reason.DOWNGRADE.code());
        assertRejected(sign(variant("1.0.0-rc.1", seed1Probes)), Reason.DOWNGRADE.code());
        // the very bundle that is active: refused even with allowDowngrade
        assertRejected(DEFAULT_BUNDLE, OtaStatus.REASON_ALREADY_ACTIVE,
                UpdateOptions.fromUserProperties(java.util.Map.of("allow-downgrade", "true"), "test"));
        // explicitly allowed
        statuses.clear();
        OtaStatus s = updater().apply(older, UpdateOptions.defaults().withAllowDowngrade(true));
        assertEquals(Step.SWITCHED, s.step(), s.message());
        assertTrue(statuses.get(1).message().contains("explicit downgrade"), statuses.get(1).message());
        assertEquals("0.9.0", version(store.active()));
    }

    @Test
    void truncated() throws Exception {
        assertRejected(Arrays.copyOf(v110, v110.length / 2), Reason.TRUNCATED.code());
        assertRejected(new byte[0], Reason.TRUNCATED.code());
    }

    @Test
    void oversize() throws Exception {
        byte[] big = Arrays.copyOf(v110, (int) Bundles.DEFAULT_MAX_BYTES + 1);
        Arrays.fill(big, v110.length, big.length, (byte) ' ');
        assertRejected(big, Reason.OVERSIZE.code());
    }

    @Test
    void malformedJson() throws Exception {
        assertRejected("{\"format\": \"pnn-bundle\", \"formatVersion\": 1,, }".getBytes(StandardCharsets.UTF_8),
                Reason.MALFORMED_JSON.code());
        assertRejected("this is not json".getBytes(StandardCharsets.UTF_8), Reason.MALFORMED_JSON.code());
    }

    @Test
    void notABundleAndBrokenNetwork() throws Exception {
        assertRejected("{\"format\":\"zip\"}".getBytes(StandardCharsets.UTF_8), Reason.UNKNOWN_FORMAT.code());
        ObjectNode net = (ObjectNode) DEFAULT.network();
        net.remove("readout");
        BundleManifest d = DEFAULT;
        byte[] broken = sign(new org.pnnedge.models.bundle.BundleManifest(d.formatVersion(), d.modelId(),
                org.pnnedge.models.bundle.SemVer.parse("1.1.0"), d.created(), d.labels(), d.normalization(), d.featureLayout(), d.device(),
                net, d.twin(), seed1Probes, d.provenance(), d.metrics()));
        assertRejected(broken, Reason.SCHEMA.code());
    }

    @Test
    void developmentKeysAreRefusedByDefault() throws Exception {
        // signed by a trusted key (OtaFixtures.TRUSTED holds it) that is marked as a development key
        byte[] devSigned = Bundles.sign(variant("1.1.0", seed1Probes), org.pnnedge.runtime.TestKeys.dev());
        for (OtaUpdater u : List.of(OtaUpdater.builder(store, link.info()).build(),
                OtaUpdater.builder(store, link.info()).allowDevelopmentKeys(false).build())) {
            OtaStatus s = u.apply(devSigned, null);
            assertEquals(Step.REJECTED, s.step());
            assertEquals(OtaStatus.REASON_DEVELOPMENT_KEY, s.reason());
            assertEquals("1.0.0", version(store.active()));
        }
    }

    // ---- self-test failures: staged, then removed; the old bundle keeps serving

    void assertRolledBack(OtaStatus s, String reason) throws Exception {
        assertEquals(Step.ROLLED_BACK, s.step(), s.message());
        assertEquals(reason, s.reason(), s.message());
        assertEquals(List.of(Step.RECEIVED, Step.VERIFIED, Step.STAGED, Step.ROLLED_BACK), steps());
        assertTrue(s.message().contains("1.0.0 keeps serving"), s.message());
        assertEquals(List.of(), activated);
        assertEquals("1.0.0", version(store.active()));
        assertConsistent(dir);
        assertEquals("1.0.0", version(BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE).active()));
    }

    @Test
    void probesFromAnotherUnitFailTheSelfTest() throws Exception {
        OtaStatus s = updater().apply(sign(variant("1.1.0", seed7Probes)), null);
        assertRolledBack(s, OtaStatus.REASON_SELF_TEST_PROBES);
        assertTrue(s.message().contains("reference probes reproduce"), s.message());
    }

    @Test
    void aPumpPowerDriftOfAFewPercentIsACommonGainNotAFault() throws Exception {
        // probes recorded when the laser gave 8 % more output than now: one gain explains every channel
        List<Probe> drifted = OtaFixtures.scaled(seed1Probes, 1.08, link.info().maxAdcCode());
        SelfTest.Result r = new ProbeSelfTest(link).run(OtaFixtures.load(sign(variant("1.1.0", drifted))));
        assertTrue(r.passed() && r.message().contains("common gain 0.9"), r.message());
        OtaStatus s = updater().apply(sign(variant("1.1.0", drifted)), null);
        assertEquals(Step.SWITCHED, s.step(), s.message());
    }

    @Test
    void oneGainCannotHideABrokenChannel() throws Exception {
        List<Probe> drifted = OtaFixtures.scaled(seed1Probes, 1.08, link.info().maxAdcCode());
        List<Probe> broken = drifted.stream().map(p -> {
            double[] e = p.expectedOutput();
            e[3] *= 1.5; // one channel off by half: the other 15 fit the gain, this one fails it ...
            e[9] *= 0.6; // ... and so does a second: fewer than 15 of 16 channels within tolerance
            return new Probe(p.layer(), p.input(), p.params(), e, p.outputStd(), p.repeats());
        }).toList();
        assertRolledBack(updater().apply(sign(variant("1.1.0", broken)), null), OtaStatus.REASON_SELF_TEST_PROBES);
    }

    @Test
    void corruptedExpectedOutputsFailTheSelfTest() throws Exception {
        List<Probe> bad = OtaFixtures.scaled(seed1Probes, 1.3, link.info().maxAdcCode());
        assertRolledBack(updater().apply(sign(variant("1.1.0", bad)), null), OtaStatus.REASON_SELF_TEST_PROBES);
    }

    @Test
    void aSignedBundleWithAnAbsurdReadoutGainIsRefused() throws Exception {
        // signed by a trusted key, probes fine, but a readout gain of 1e308: every input would become one class
        ObjectNode net = DEFAULT.network().deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) net.get("readout").get("gain")).set(2,
                JSON.getNodeFactory().numberNode(1e308));
        BundleManifest d = DEFAULT;
        BundleManifest absurd = new BundleManifest(d.formatVersion(), d.modelId(),
                org.pnnedge.models.bundle.SemVer.parse("1.1.0"), d.created(), d.labels(), d.normalization(), d.featureLayout(), d.device(),
                net, d.twin(), seed1Probes, d.provenance(), d.metrics());
        OtaStatus s = updater().apply(sign(absurd), null);
        assertRolledBack(s, OtaStatus.REASON_SELF_TEST_DEGENERATE);
        assertTrue(s.message().contains("readout gain[2] = 1.0E308"), s.message());
    }

    @Test
    void shippedProbesRecordedWithNoisePassOnTheQuietDevice() {
        // the default bundle's own probes (recorded with noise on) reproduce on its device without noise
        OtaStatus s = updater().apply(sign(variant("1.0.1", DEFAULT.probes())), null);
        assertEquals(Step.SWITCHED, s.step(), s.message());
    }

    @Test
    void theSelfTestLeavesTheServingSlotsAlone() {
        // load the serving model's slot 0 like the service does, then self-test a candidate
        int[] codes = OtaFixtures.defaultModel().thetaCodes()[0];
        link.loadParams(0, codes);
        int[] in = seed1Probes.get(0).input();
        int[] before = link.shot(0, in);
        SelfTest.Result r = new ProbeSelfTest(link).run(OtaFixtures.load(sign(variant("1.1.0",
                OtaFixtures.scaled(seed1Probes, 0.5, 65535)))));
        assertFalse(r.passed());
        assertArrayEquals(before, link.shot(0, in), "slot 0 still holds the serving parameters");
    }

    static CanarySet canary(double minAccuracy, boolean shuffleLabels) {
        Dataset hz = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(6).seed(77).build();
        Dataset raw = Normalization.patVowel7().apply(hz);
        List<String> names = raw.labelNames();
        List<String> labels = Arrays.stream(raw.labels())
                .mapToObj(l -> names.get(shuffleLabels ? (l + 3) % names.size() : l)).collect(Collectors.toList());
        return new CanarySet(raw.features(), labels, minAccuracy);
    }

    @Test
    void canarySetAtOrAboveTheThresholdPasses() {
        SelfTest t = new ProbeSelfTest(DeviceAccess.unshared(link), ProbeSelfTest.Criteria.defaults(), canary(0.6, false));
        OtaStatus s = updater(t).apply(v110, null);
        assertEquals(Step.SWITCHED, s.step(), s.message());
        assertTrue(statuses.get(3).message().contains("canary accuracy"), statuses.get(3).message());
    }

    @Test
    void canarySetBelowTheThresholdFails() throws Exception {
        SelfTest t = new ProbeSelfTest(DeviceAccess.unshared(link), ProbeSelfTest.Criteria.defaults(), canary(0.6, true));
        OtaStatus s = updater(t).apply(v110, null);
        assertRolledBack(s, OtaStatus.REASON_SELF_TEST_CANARY);
    }

    @Test
    void aSelfTestThatThrowsFailsTheUpdate() throws Exception {
        OtaStatus s = updater(c -> {
            throw new IllegalStateException("device unplugged");
        }).apply(v110, null);
        assertRolledBack(s, OtaStatus.REASON_SELF_TEST_ERROR);
        assertTrue(s.message().contains("device unplugged"));
    }

    @Test
    void aDeviceRefusalInTheSelfTestIsReportedByStatusNotByClassName() throws Exception {
        OtaStatus s = updater(c -> {
            int[] tooHigh = new int[link.info().params()];
            tooHigh[0] = link.info().maxDacCode() + 1;
            link.loadParams(0, tooHigh); // refused: CODE_OUT_OF_RANGE
            return SelfTest.Result.pass("unreachable");
        }).apply(v110, null);
        assertRolledBack(s, OtaStatus.REASON_SELF_TEST_ERROR);
        assertTrue(s.message().contains("[CODE_OUT_OF_RANGE]"), s.message());
        assertFalse(s.message().contains("$") || s.message().contains("Exception"), s.message());
    }

    @Test
    void activationFailureRestoresThePreviousBundle() throws Exception {
        OtaUpdater u = OtaUpdater.builder(store, link.info()).listener(statuses::add).activation(b -> {
            throw new IllegalStateException("no memory for the new model");
        }).build();
        OtaStatus s = u.apply(v110, null);
        assertEquals(Step.ROLLED_BACK, s.step(), s.message());
        assertEquals(OtaStatus.REASON_ACTIVATION_FAILED, s.reason());
        assertEquals("1.0.0", version(store.active()));
        assertEquals("1.0.0", s.activeVersion());
        assertConsistent(dir);
        assertEquals("1.0.0", version(BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE).active()));
    }

    @Test
    void explicitRollbackSwapsBackAndTellsTheService() throws Exception {
        OtaUpdater u = updater();
        assertEquals(Step.REJECTED, u.rollback("r0").step(), "nothing to roll back to yet");
        assertEquals(Step.SWITCHED, u.apply(v110, null).step());
        activated.clear();
        OtaStatus s = u.rollback("r1");
        assertEquals(Step.ROLLED_BACK, s.step(), s.message());
        assertEquals(OtaStatus.REASON_ROLLBACK_REQUESTED, s.reason());
        assertEquals("1.0.0", s.activeVersion());
        assertEquals("1.0.0", version(activated.get(0)));
        assertEquals("1.0.0", version(store.active()));
        assertEquals("1.1.0", version(store.previous().orElseThrow()));
        assertConsistent(dir);
        // and forth again
        assertEquals(Step.ROLLED_BACK, u.rollback("r2").step());
        assertEquals("1.1.0", version(store.active()));
    }
}

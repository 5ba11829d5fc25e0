package org.pnnedge.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.bundle.BundleException.Reason;

class BundleRoundTripTest {
    static final SigningKey KEY = KeyFiles.generate(false);

    @Test
    void signThenLoadGivesTheSameManifest(@TempDir Path dir) throws Exception {
        BundleManifest m = Samples.manifest();
        Path file = dir.resolve("iris.pnnb");
        Bundles.write(file, m, KEY, false);
        ModelBundle b = Bundles.load(file, TrustedKeys.of(KEY.trusted()));
        assertEquals(m, b.manifest());
        assertEquals(KEY.keyId(), b.keyId());
        assertEquals(Samples.sha256(Samples.payloadOf(Files.readAllBytes(file))), b.payloadSha256());
        assertFalse(b.developmentKey());
        assertEquals("virginica", b.manifest().labels().get(2));
        assertEquals(0.953, b.manifest().metrics().get("test_accuracy"));
        assertEquals(40, b.manifest().provenance().hyperparameters().get("epochs").intValue());
        assertEquals(1234.5, b.manifest().probes().get(0).expectedOutput()[15]);
    }

    @Test
    void signingIsDeterministicAndTheFileIsOneJsonLine() throws Exception {
        byte[] a = Bundles.sign(Samples.manifest(), KEY);
        byte[] b = Bundles.sign(Samples.manifest(), KEY);
        assertArrayEquals(a, b);
        String text = new String(a, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"format\":\"pnn-bundle\",\"formatVersion\":1,\"payloadSha256\":\""), text);
        assertTrue(text.endsWith("}\n") && text.indexOf('\n') == text.length() - 1);
        // the payload is the manifest's compact JSON, fields in declaration order
        String payload = new String(Samples.payloadOf(a), StandardCharsets.UTF_8);
        assertTrue(payload.startsWith("{\"formatVersion\":1,\"modelId\":\"iris-shg\",\"version\":\"1.2.0\","
                + "\"created\":\"2025-03-01T12:00:00Z\""), payload);
        assertTrue(payload.contains("\"metrics\":{\"loss\":0.12,\"test_accuracy\":0.953}"), payload);
    }

    @Test
    void anIndependentlyWrittenEnvelopeLoads() throws Exception {
        // guards the spec: bundle.md is enough to write a bundle this reader accepts
        byte[] payload = ManifestJson.write(Samples.manifest());
        ModelBundle b = Bundles.load(Samples.envelope(payload, KEY), TrustedKeys.of(KEY.trusted()));
        assertEquals(Samples.manifest(), b.manifest());
        // and a payload written by hand (other whitespace and field order) is hashed as the bytes it is
        String hand = new String(payload, StandardCharsets.UTF_8).replace("{\"formatVersion\":1,", "{ \"formatVersion\" : 1 ,");
        byte[] handBytes = hand.getBytes(StandardCharsets.UTF_8);
        ModelBundle c = Bundles.load(Samples.envelope(handBytes, KEY), TrustedKeys.of(KEY.trusted()));
        assertEquals(Samples.manifest(), c.manifest());
        assertEquals(Samples.sha256(handBytes), c.payloadSha256());
    }

    @Test
    void gzippedBundlesLoadToo() throws Exception {
        byte[] z = Bundles.sign(Samples.manifest(), KEY, true);
        assertEquals(0x1f, z[0] & 0xff);
        assertArrayEquals(z, Bundles.sign(Samples.manifest(), KEY, true));
        assertTrue(z.length < Bundles.sign(Samples.manifest(), KEY).length);
        assertEquals(Samples.manifest(), Bundles.load(z, TrustedKeys.of(KEY.trusted())).manifest());
    }

    @Test
    void inspectShowsContentWithoutTrust() throws Exception {
        BundleInspection i = Bundles.inspect(Bundles.sign(Samples.manifest(), KEY));
        assertEquals("iris-shg", i.manifest().modelId());
        assertEquals(KEY.keyId(), i.keyId());
        assertTrue(i.signed());
        BundleInspection unsigned = Bundles.inspect(Samples.envelope(ManifestJson.write(Samples.manifest()), null));
        assertFalse(unsigned.signed());
        assertNull(unsigned.keyId());
    }

    @Test
    void developmentKeysAreFlagged() throws Exception {
        SigningKey dev = KeyFiles.generate(true);
        ModelBundle b = Bundles.load(Bundles.sign(Samples.manifest(), dev), TrustedKeys.of(dev.trusted()));
        assertTrue(b.developmentKey());
    }

    @Test
    void opaqueSectionsAreCopiedNotShared() {
        var net = Samples.JSON.createObjectNode().put("layers", 1);
        BundleManifest m = BundleManifest.builder("m", "1.0.0", Samples.shg()).network(net).build();
        net.put("layers", 2);
        assertEquals(1, m.network().get("layers").intValue());
    }

    @Test
    void downgradeAndDeviceChecksAreTyped() throws Exception {
        ModelBundle b = Bundles.load(Bundles.sign(Samples.manifest("1.2.0"), KEY), TrustedKeys.of(KEY.trusted()));
        b.requireNewerThan(SemVer.parse("1.1.9"));
        b.requireNewerThan(null);
        assertEquals(Reason.DOWNGRADE, assertThrows(BundleException.class,
                () -> b.requireNewerThan(SemVer.parse("1.2.0"))).reason());
        assertEquals(Reason.DOWNGRADE, assertThrows(BundleException.class,
                () -> b.requireNewerThan(SemVer.parse("2.0.0-rc.1"))).reason());

        DeviceInfo shg = new DeviceInfo(1, PhysicsKind.SHG, "1.0.0", 1, 16, 32, 16, 12, 12, 4, 64, 100, true);
        b.requireCompatible(shg);
        DeviceInfo circuit = new DeviceInfo(1, PhysicsKind.CIRCUIT, "1.0.0", 1, 16, 32, 16, 12, 12, 4, 64, 100, true);
        BundleException wrong = assertThrows(BundleException.class, () -> b.requireCompatible(circuit));
        assertEquals(Reason.WRONG_PHYSICS, wrong.reason());
        assertTrue(wrong.getMessage().contains("bundle is for shg") && wrong.getMessage().contains("is circuit"),
                wrong.getMessage());
        DeviceInfo fewer = new DeviceInfo(1, PhysicsKind.SHG, "1.0.0", 1, 8, 32, 16, 12, 10, 4, 64, 100, true);
        BundleException inc = assertThrows(BundleException.class, () -> b.requireCompatible(fewer));
        assertEquals(Reason.INCOMPATIBLE_DEVICE, inc.reason());
        assertTrue(inc.getMessage().contains("inputs: bundle needs 16, device has 8")
                && inc.getMessage().contains("ADC bits: bundle needs 12, device has 10"), inc.getMessage());
    }
}

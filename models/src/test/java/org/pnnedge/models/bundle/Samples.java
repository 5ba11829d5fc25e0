package org.pnnedge.models.bundle;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Test fixtures, and an independent writer of the envelope (straight from bundle.md) for corrupt variants. */
final class Samples {
    static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {
    }

    static DeviceRequirements shg() {
        return new DeviceRequirements("shg", 1, 16, 32, 16, 12, 12);
    }

    static BundleManifest manifest(String version) {
        ObjectNode network = JSON.createObjectNode();
        network.putArray("layers").addObject().put("kind", "physical").putArray("params").add(2048).add(1000);
        network.putObject("readout").put("kind", "linear");
        ObjectNode twin = JSON.createObjectNode();
        twin.putArray("weights").add(0.25).add(-1.5e-3);
        int[] in = new int[16];
        Arrays.fill(in, 3000);
        double[] out = new double[16];
        Arrays.fill(out, 1234.5);
        double[] std = new double[16];
        Arrays.fill(std, 3.25);
        ObjectNode hp = JSON.createObjectNode().put("lr", 0.01).put("epochs", 40);
        return BundleManifest.builder("iris-shg", version, shg())
                .created(Instant.parse("2025-03-01T12:00:00Z"))
                .labels(List.of("setosa", "versicolor", "virginica"))
                .normalization(new FeatureNormalization("Z_SCORE", new double[] {5.8, 3.0, 3.7, 1.2}, new double[] {0.8, 0.4, 1.7, 0.7}))
                .network(network)
                .twin(twin)
                .probe(new Probe(0, in, null, out, std, 8))
                .provenance(new Provenance("sha256:abc", 42L, "0.1.0", "physics-aware", hp, "tester", "ci"))
                .metric("test_accuracy", 0.953)
                .metric("loss", 0.12)
                .build();
    }

    static BundleManifest manifest() {
        return manifest("1.2.0");
    }

    /** Builds an envelope by hand from payload bytes, as a third-party implementation would. */
    static byte[] envelope(byte[] payload, SigningKey key) throws Exception {
        String sig = key == null ? null : Base64.getEncoder().encodeToString(rawSign(payload, key));
        return envelope(payload, sha256(payload), key == null ? null : key.keyId(), sig);
    }

    static byte[] envelope(byte[] payload, String sha256, String keyId, String sigBase64) {
        ObjectNode env = JSON.createObjectNode();
        env.put("format", "pnn-bundle");
        env.put("formatVersion", 1);
        env.put("payloadSha256", sha256);
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        if (sigBase64 != null) {
            env.putObject("signature").put("alg", "Ed25519").put("keyId", keyId).put("value", sigBase64);
        }
        return (env + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] rawSign(byte[] payload, SigningKey key) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.privateKey());
        s.update("PNN-BUNDLE-V1\n".getBytes(StandardCharsets.US_ASCII));
        s.update(payload);
        return s.sign();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    static ObjectNode tree(byte[] json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    static byte[] bytes(ObjectNode n) {
        return (n + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] payloadOf(byte[] bundle) throws Exception {
        return Base64.getDecoder().decode(tree(bundle).get("payload").textValue());
    }
}

package org.pnnedge.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.bundle.BundleException.Reason;

/** Every rejection, each produced by a real corrupted file on disk. */
class BundleRejectionTest {
    static final SigningKey KEY = KeyFiles.generate(false);
    static final TrustedKeys TRUST = TrustedKeys.of(KEY.trusted());

    @TempDir
    Path dir;

    private BundleException reject(byte[] file, Reason expected, String... inMessage) throws Exception {
        return reject(BundleReader.withDefaults(), file, expected, inMessage);
    }

    private BundleException reject(BundleReader reader, byte[] file, Reason expected, String... inMessage)
            throws Exception {
        Path p = Files.write(dir.resolve("b-" + System.nanoTime() + ".pnnb"), file);
        BundleException e = assertThrows(BundleException.class, () -> reader.load(p, TRUST));
        assertEquals(expected, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith(expected.summary() + ": "), e.getMessage());
        for (String s : inMessage) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        return e;
    }

    private static byte[] good() {
        return Bundles.sign(Samples.manifest(), KEY);
    }

    @Test
    void flippedByteInThePayloadIsAHashMismatch() throws Exception {
        byte[] file = good();
        // flip one payload byte by changing one base64 character to another valid one, mid-payload
        String text = new String(file, StandardCharsets.US_ASCII);
        int at = text.indexOf("\"payload\":\"") + 11 + 200;
        file[at] = (byte) (file[at] == 'A' ? 'B' : 'A');
        reject(file, Reason.HASH_MISMATCH, "payloadSha256 says", "modified or corrupted");

        // and one flipped bit in the decoded payload, re-encoded
        ObjectNode env = Samples.tree(good());
        byte[] payload = Samples.payloadOf(good());
        payload[50] ^= 0x01;
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        reject(Samples.bytes(env), Reason.HASH_MISMATCH);
    }

    @Test
    void rehashedPayloadWithTheOldSignatureIsABadSignature() throws Exception {
        ObjectNode env = Samples.tree(good());
        byte[] payload = new String(Samples.payloadOf(good()), StandardCharsets.UTF_8)
                .replace("\"test_accuracy\":0.953", "\"test_accuracy\":0.999").getBytes(StandardCharsets.UTF_8);
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.put("payloadSha256", Samples.sha256(payload));
        reject(Samples.bytes(env), Reason.BAD_SIGNATURE, "does not verify with trusted key " + KEY.keyId());

        // a signature of the wrong length is bad too, not a crash
        ObjectNode shortSig = Samples.tree(good());
        ((ObjectNode) shortSig.get("signature")).put("value", Base64.getEncoder().encodeToString(new byte[10]));
        reject(Samples.bytes(shortSig), Reason.BAD_SIGNATURE, "10 bytes");
    }

    @Test
    void removedSignatureIsMissing() throws Exception {
        ObjectNode env = Samples.tree(good());
        env.remove("signature");
        reject(Samples.bytes(env), Reason.MISSING_SIGNATURE, "no \"signature\"");
        env.putNull("signature");
        reject(Samples.bytes(env), Reason.MISSING_SIGNATURE);
    }

    @Test
    void signedByAnotherKeyIsUntrusted() throws Exception {
        SigningKey stranger = KeyFiles.generate(false);
        reject(Bundles.sign(Samples.manifest(), stranger), Reason.UNTRUSTED_KEY, stranger.keyId(), KEY.keyId());
        // naming a trusted key id does not help: the signature is checked with that key
        ObjectNode env = Samples.tree(Bundles.sign(Samples.manifest(), stranger));
        ((ObjectNode) env.get("signature")).put("keyId", KEY.keyId());
        reject(Samples.bytes(env), Reason.BAD_SIGNATURE);
        // with no trusted keys at all, the message says so
        Path p = Files.write(dir.resolve("x.pnnb"), good());
        BundleException e = assertThrows(BundleException.class, () -> Bundles.load(p, TrustedKeys.none()));
        assertEquals(Reason.UNTRUSTED_KEY, e.reason());
        assertTrue(e.getMessage().contains("no trusted keys given"), e.getMessage());
    }

    @Test
    void otherSignatureAlgorithmsAreRefused() throws Exception {
        ObjectNode env = Samples.tree(good());
        ((ObjectNode) env.get("signature")).put("alg", "RS256");
        reject(Samples.bytes(env), Reason.UNSUPPORTED_SIGNATURE_ALGORITHM, "\"RS256\"");
    }

    @Test
    void unknownFormatString() throws Exception {
        ObjectNode env = Samples.tree(good());
        env.put("format", "zip-bundle");
        reject(Samples.bytes(env), Reason.UNKNOWN_FORMAT, "\"zip-bundle\"", "expected \"pnn-bundle\"");
        env.remove("format");
        reject(Samples.bytes(env), Reason.UNKNOWN_FORMAT, "missing");
        reject("[1,2,3]".getBytes(StandardCharsets.UTF_8), Reason.UNKNOWN_FORMAT, "got a JSON array");
    }

    @Test
    void formatVersion99IsUnsupported() throws Exception {
        ObjectNode env = Samples.tree(good());
        env.put("formatVersion", 99);
        reject(Samples.bytes(env), Reason.UNSUPPORTED_FORMAT_VERSION, "formatVersion is 99", "supports 1");
        env.put("formatVersion", "1");
        reject(Samples.bytes(env), Reason.SCHEMA, "'formatVersion' must be an integer");
    }

    @Test
    void missingRequiredFieldIsASchemaErrorNamingTheField() throws Exception {
        ObjectNode m = Samples.tree(ManifestJson.write(Samples.manifest()));
        ((ObjectNode) m.get("device")).remove("inputs");
        reject(Samples.envelope(Samples.bytes(m), KEY), Reason.SCHEMA, "missing required field 'payload.device.inputs'");

        ObjectNode noId = Samples.tree(ManifestJson.write(Samples.manifest()));
        noId.remove("modelId");
        reject(Samples.envelope(Samples.bytes(noId), KEY), Reason.SCHEMA, "'payload.modelId'");
    }

    @Test
    void wrongTypeIsASchemaErrorNamingTheField() throws Exception {
        ObjectNode m = Samples.tree(ManifestJson.write(Samples.manifest()));
        ((ObjectNode) m.get("device")).put("inputs", "sixteen");
        reject(Samples.envelope(Samples.bytes(m), KEY), Reason.SCHEMA, "payload.device.inputs");

        ObjectNode numericString = Samples.tree(ManifestJson.write(Samples.manifest()));
        ((ObjectNode) numericString.get("device")).put("inputs", "16"); // no silent coercion
        reject(Samples.envelope(Samples.bytes(numericString), KEY), Reason.SCHEMA, "payload.device.inputs");

        ObjectNode fraction = Samples.tree(ManifestJson.write(Samples.manifest()));
        ((ObjectNode) fraction.get("device")).put("outputs", 16.5);
        reject(Samples.envelope(Samples.bytes(fraction), KEY), Reason.SCHEMA, "payload.device.outputs");

        ObjectNode badProbe = Samples.tree(ManifestJson.write(Samples.manifest()));
        ((ObjectNode) badProbe.get("probes").get(0)).putArray("input").add(1).add(2);
        reject(Samples.envelope(Samples.bytes(badProbe), KEY), Reason.SCHEMA, "probes[0].input has 2 codes",
                "takes 16");

        ObjectNode badVersion = Samples.tree(ManifestJson.write(Samples.manifest()));
        badVersion.put("version", "1.2");
        reject(Samples.envelope(Samples.bytes(badVersion), KEY), Reason.SCHEMA, "payload.version",
                "not a semantic version");

        ObjectNode badTime = Samples.tree(ManifestJson.write(Samples.manifest()));
        badTime.put("created", "yesterday");
        reject(Samples.envelope(Samples.bytes(badTime), KEY), Reason.SCHEMA, "payload.created", "ISO-8601");

        ObjectNode net = Samples.tree(ManifestJson.write(Samples.manifest()));
        net.putArray("network");
        reject(Samples.envelope(Samples.bytes(net), KEY), Reason.SCHEMA, "network must be a JSON object");
    }

    @Test
    void unknownFieldsAreSchemaErrors() throws Exception {
        ObjectNode m = Samples.tree(ManifestJson.write(Samples.manifest()));
        ((ObjectNode) m.get("device")).put("inptus", 16);
        reject(Samples.envelope(Samples.bytes(m), KEY), Reason.SCHEMA, "unknown field 'payload.device.inptus'",
                "inputs");

        ObjectNode env = Samples.tree(good());
        env.put("comment", "hi");
        reject(Samples.bytes(env), Reason.SCHEMA, "unknown field 'comment'");

        ObjectNode env2 = Samples.tree(good());
        env2.remove("payloadSha256");
        reject(Samples.bytes(env2), Reason.SCHEMA, "missing required field 'payloadSha256'");
    }

    @Test
    void truncatedFileIsTruncated() throws Exception {
        byte[] file = good();
        reject(Arrays.copyOf(file, file.length / 2), Reason.TRUNCATED, "ends in the middle");
        reject(Arrays.copyOf(file, file.length - 3), Reason.TRUNCATED);
        reject(new byte[0], Reason.TRUNCATED, "empty");
        byte[] z = Bundles.sign(Samples.manifest(), KEY, true);
        reject(Arrays.copyOf(z, z.length - 20), Reason.TRUNCATED, "gzip");
    }

    @Test
    void oversizeFileIsRejectedBeforeParsing() throws Exception {
        byte[] file = good();
        reject(new BundleReader(file.length - 1), file, Reason.OVERSIZE, "limit is " + (file.length - 1));
        // the check is on size alone: garbage that is too large is OVERSIZE, not MALFORMED_JSON
        reject(new BundleReader(100), new byte[101], Reason.OVERSIZE);
        // a gzip bomb is stopped at the limit while decompressing
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(new byte[1 << 20]);
        }
        reject(new BundleReader(64 * 1024), out.toByteArray(), Reason.OVERSIZE, "decompresses to more than");
        // default limit
        assertEquals(16L << 20, BundleReader.withDefaults().maxBytes());
    }

    @Test
    void notJsonAtAll() throws Exception {
        reject("hello, I am a text file\n".getBytes(StandardCharsets.UTF_8), Reason.MALFORMED_JSON, "not valid JSON");
        reject(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}, Reason.MALFORMED_JSON);
        String twice = new String(good(), StandardCharsets.UTF_8).strip();
        reject((twice + twice).getBytes(StandardCharsets.UTF_8), Reason.MALFORMED_JSON);
        // duplicate keys could make two readers see two different bundles
        reject(new String(good(), StandardCharsets.UTF_8).replace("{\"format\":\"pnn-bundle\",",
                "{\"format\":\"pnn-bundle\",\"format\":\"pnn-bundle\",").getBytes(StandardCharsets.UTF_8),
                Reason.MALFORMED_JSON, "Duplicate field");
        reject(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Reason.MALFORMED_GZIP);
    }

    @Test
    void payloadThatIsNotJsonIsMalformed() throws Exception {
        byte[] payload = "not json".getBytes(StandardCharsets.UTF_8);
        reject(Samples.envelope(payload, KEY), Reason.MALFORMED_JSON, "payload is not valid JSON");
        ObjectNode env = Samples.tree(good());
        env.put("payload", "***");
        reject(Samples.bytes(env), Reason.SCHEMA, "'payload' is not valid base64");
    }

    @Test
    void missingFileIsAnIoError() {
        BundleException e = assertThrows(BundleException.class,
                () -> Bundles.load(dir.resolve("nope.pnnb"), TRUST));
        assertEquals(Reason.IO, e.reason());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void inspectStillChecksTheHash() throws Exception {
        ObjectNode env = Samples.tree(good());
        env.put("payloadSha256", "0".repeat(64));
        assertEquals(Reason.HASH_MISMATCH, assertThrows(BundleException.class,
                () -> Bundles.inspect(Samples.bytes(env))).reason());
    }

    @Test
    void reasonCodesAreDistinctAndStable() {
        assertEquals("hash-mismatch", Reason.HASH_MISMATCH.code());
        assertEquals(Reason.values().length, Arrays.stream(Reason.values()).map(Reason::summary).distinct().count());
    }
}

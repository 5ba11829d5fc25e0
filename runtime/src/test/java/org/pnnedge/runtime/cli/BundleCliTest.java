package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.runtime.cli.CliTest.Result;

class BundleCliTest {
    static final String MANIFEST = """
            {
              "formatVersion": 1,
              "modelId": "xor-circuit",
              "version": "0.3.1",
              "created": "2025-03-01T12:00:00Z",
              "labels": ["false", "true"],
              "device": {"physicsKind": "circuit", "protocolVersion": 1, "inputs": 16, "params": 32,
                         "outputs": 16, "dacBits": 12, "adcBits": 12},
              "network": {"layers": [{"kind": "physical", "params": [2048]}], "readout": {"kind": "argmax"}},
              "probes": [{"layer": 0, "input": [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200,
                                               1300, 1400, 1500, 1600],
                          "expectedOutput": [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160.5],
                          "repeats": 4}],
              "metrics": {"accuracy": 1.0}
            }
            """;

    @TempDir
    Path dir;

    private static Result run(String... args) {
        return CliTest.run(args);
    }

    private Path signed(String name) throws Exception {
        Path manifest = Files.writeString(dir.resolve("manifest.json"), MANIFEST);
        Path bundle = dir.resolve(name);
        Result sign = run("sign", "--manifest", manifest.toString(), "--key", dir.resolve("keys/ci.key").toString(),
                "--out", bundle.toString());
        assertEquals(0, sign.exit(), sign.err());
        assertTrue(sign.out().contains("signed      xor-circuit 0.3.1"), sign.out());
        return bundle;
    }

    private void keygen() {
        Result k = run("keygen", "--out", dir.resolve("keys").toString(), "--name", "ci");
        assertEquals(0, k.exit(), k.err());
        assertTrue(k.out().contains("key id"), k.out());
    }

    @Test
    void keygenSignVerify() throws Exception {
        keygen();
        assertTrue(Files.exists(dir.resolve("keys/ci.key")) && Files.exists(dir.resolve("keys/ci.pub")));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("keys/ci.key"))));
        }
        Path bundle = signed("xor.pnnb");

        Result ok = run("verify", "--bundle", bundle.toString(), "--trust", dir.resolve("keys/ci.pub").toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("status      VALID"), ok.out());
        assertTrue(ok.out().contains("model       xor-circuit 0.3.1"), ok.out());
        assertTrue(ok.out().contains("labels      false, true"), ok.out());
        assertTrue(ok.out().contains("physics     circuit"), ok.out());

        // a directory of keys works too, and --json is machine-readable
        Result js = run("verify", "--bundle", bundle.toString(), "--trust", dir.resolve("keys").toString(), "--json");
        assertEquals(0, js.exit(), js.err());
        JsonNode r = Json.MAPPER.readTree(js.out());
        assertTrue(r.get("valid").asBoolean());
        assertEquals("xor-circuit", r.get("model_id").asText());
        assertEquals("circuit", r.get("device").get("physics").asText());
        assertEquals(16, r.get("key_id").asText().length());
        assertEquals(64, r.get("payload_sha256").asText().length());

        // without --trust: shows the content, clearly UNVERIFIED, and does not exit 0
        Result unverified = run("verify", "--bundle", bundle.toString());
        assertEquals(VerifyCommand.EXIT_UNVERIFIED, unverified.exit(), unverified.err());
        assertTrue(unverified.out().contains("UNVERIFIED") && unverified.out().contains("xor-circuit"), unverified.out());
    }

    @Test
    void tamperedBundleFailsWithTheReason() throws Exception {
        keygen();
        Path bundle = signed("xor.pnnb");
        String trust = dir.resolve("keys/ci.pub").toString();

        ObjectNode env = (ObjectNode) Json.MAPPER.readTree(bundle.toFile());
        byte[] payload = Base64.getDecoder().decode(env.get("payload").asText());
        String changed = new String(payload, StandardCharsets.UTF_8).replace("\"accuracy\":1.0", "\"accuracy\":0.5");
        env.put("payload", Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8)));
        Path tampered = Files.writeString(dir.resolve("tampered.pnnb"), env.toString());
        Result r = run("verify", "--bundle", tampered.toString(), "--trust", trust);
        assertEquals(ErrorHandler.EXIT_BUNDLE, r.exit());
        assertTrue(r.err().contains("payload hash mismatch") && r.err().contains("HASH_MISMATCH"), r.err());
        assertFalse(r.out().contains("VALID"), r.out());

        Result js = run("verify", "--bundle", tampered.toString(), "--trust", trust, "--json");
        assertEquals(ErrorHandler.EXIT_BUNDLE, js.exit());
        assertEquals("HASH_MISMATCH", Json.MAPPER.readTree(js.out()).get("reason").asText());

        // someone else's key
        Result other = run("keygen", "--out", dir.resolve("other").toString(), "--name", "o");
        assertEquals(0, other.exit(), other.err());
        Result untrusted = run("verify", "--bundle", bundle.toString(), "--trust", dir.resolve("other/o.pub").toString());
        assertEquals(ErrorHandler.EXIT_BUNDLE, untrusted.exit());
        assertTrue(untrusted.err().contains("untrusted key"), untrusted.err());

        // cut short in transit
        byte[] full = Files.readAllBytes(bundle);
        Path cut = Files.write(dir.resolve("cut.pnnb"), java.util.Arrays.copyOf(full, full.length / 3));
        Result truncated = run("verify", "--bundle", cut.toString(), "--trust", trust);
        assertEquals(ErrorHandler.EXIT_BUNDLE, truncated.exit());
        assertTrue(truncated.err().contains("TRUNCATED"), truncated.err());

        Result big = run("verify", "--bundle", bundle.toString(), "--trust", trust, "--max-size", "100");
        assertEquals(ErrorHandler.EXIT_BUNDLE, big.exit());
        assertTrue(big.err().contains("OVERSIZE"), big.err());
    }

    @Test
    void aBundleFileThatCannotBeReadIsBadInputNamingThePathInEveryCommand() throws Exception {
        keygen();
        String trust = dir.resolve("keys/ci.pub").toString();
        Path data = Files.writeString(dir.resolve("data.csv"), "x0,label\n1,a\n");
        Path wav = dir.resolve("a.wav"); // a tenth of a second of silence: listen reads it before the bundle
        javax.sound.sampled.AudioFormat f = new javax.sound.sampled.AudioFormat(16000, 16, 1, true, false);
        javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(
                new java.io.ByteArrayInputStream(new byte[3200]), f, 1600),
                javax.sound.sampled.AudioFileFormat.Type.WAVE, wav.toFile());
        for (Path bad : new Path[] {dir.resolve("nope.pnnb"), Files.createDirectories(dir.resolve("adir.pnnb"))}) {
            String b = bad.toString();
            String[][] commands = {
                {"verify", "--bundle", b},
                {"verify", "--bundle", b, "--trust", trust},
                {"verify", "--bundle", b, "--trust", trust, "--json"},
                {"eval", "--bundle", b, "--device", "emulator:circuit", "--data", data.toString(), "--trust", trust},
                {"classify", "--device", "emulator:circuit", "--bundle", b, "--features", "1,2", "--trust", trust},
                {"listen", "--device", "emulator:circuit", "--bundle", b, "--wav", wav.toString(), "--trust", trust},
                {"benchmark", "energy", "--bundle", b, "--data", data.toString(), "--trust", trust},
                {"demo", "--bundle", b, "--trust", trust},
            };
            for (String[] c : commands) {
                Result r = run(c);
                String what = String.join(" ", c) + ": " + r.err();
                assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), what);
                assertTrue(r.err().contains("--bundle: cannot read " + b), what);
                assertTrue(r.err().contains(Files.isDirectory(bad) ? "it is a directory" : "no such file"), what);
            }
        }
    }

    @Test
    void signRejectsABadManifestNamingTheField() throws Exception {
        keygen();
        Path manifest = Files.writeString(dir.resolve("bad.json"), MANIFEST.replace("\"inputs\": 16", "\"inputs\": \"16\""));
        Result r = run("sign", "--manifest", manifest.toString(), "--key", dir.resolve("keys/ci.key").toString(),
                "--out", dir.resolve("b.pnnb").toString());
        assertEquals(ErrorHandler.EXIT_BUNDLE, r.exit());
        assertTrue(r.err().contains("manifest.device.inputs") && r.err().contains("SCHEMA"), r.err());
        assertFalse(Files.exists(dir.resolve("b.pnnb")));
    }

    @Test
    void keygenRefusesToOverwrite() {
        keygen();
        Result again = run("keygen", "--out", dir.resolve("keys").toString(), "--name", "ci");
        assertEquals(ErrorHandler.EXIT_USAGE, again.exit());
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
        Result forced = run("keygen", "--out", dir.resolve("keys").toString(), "--name", "ci", "--force");
        assertEquals(0, forced.exit(), forced.err());
    }

    @Test
    void extractAndResignWithAnotherKeyGivesTheSamePayload() throws Exception {
        Result dev = run("keygen", "--out", dir.resolve("keys").toString(), "--name", "ci", "--dev");
        assertEquals(0, dev.exit(), dev.err());
        assertTrue(dev.out().contains("DEVELOPMENT"), dev.out());
        Path bundle = signed("dev.pnnb");
        Result v = run("verify", "--bundle", bundle.toString(), "--trust", dir.resolve("keys/ci.pub").toString(),
                "--extract-manifest", dir.resolve("extracted.json").toString());
        assertEquals(0, v.exit(), v.err());
        assertTrue(v.out().contains("DEVELOPMENT key"), v.out());

        assertEquals(0, run("keygen", "--out", dir.resolve("mine").toString(), "--name", "prod").exit());
        Path mine = dir.resolve("mine.pnnb");
        Result s = run("sign", "--manifest", dir.resolve("extracted.json").toString(), "--key",
                dir.resolve("mine/prod.key").toString(), "--out", mine.toString());
        assertEquals(0, s.exit(), s.err());
        JsonNode a = Json.MAPPER.readTree(bundle.toFile());
        JsonNode b = Json.MAPPER.readTree(mine.toFile());
        assertArrayEquals(a.get("payload").binaryValue(), b.get("payload").binaryValue());
        Result ok = run("verify", "--bundle", mine.toString(), "--trust", dir.resolve("mine/prod.pub").toString());
        assertEquals(0, ok.exit(), ok.err());
        assertFalse(ok.out().contains("DEVELOPMENT"), ok.out());
    }
}

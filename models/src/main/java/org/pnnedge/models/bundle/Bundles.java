package org.pnnedge.models.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Signed model bundles: {@link #sign} makes one, {@link #load} verifies one, {@link #inspect} looks inside
 * without trust. The format is specified in {@code src/site/markdown/bundle.md}.
 */
public final class Bundles {
    /** Value of the envelope's {@code "format"} field. */
    public static final String FORMAT = "pnn-bundle";
    /**
     * The newest format version this code reads and writes. Version 2 adds deep and hybrid networks (bundle.md);
     * a network that version 1 can express is still written as version 1, so older runtimes keep reading it.
     */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this code reads. */
    public static final int MIN_FORMAT_VERSION = 1;
    /** Default size limit of a bundle (stored and decompressed): 16 MiB. */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    public static final String SIGNATURE_ALGORITHM = "Ed25519";
    /** File name extension used by the tools. */
    public static final String EXTENSION = ".pnnb";
    /**
     * Prefix of the signed message: the signature covers "PNN-BUNDLE-V&lt;version&gt;\n" (14 ASCII bytes) followed by
     * the payload bytes. It binds the signature to this format and version, so it can never be replayed as a
     * signature over something else made with the same key, nor as a bundle of another version.
     */
    static byte[] signatureContext(int formatVersion) {
        return ("PNN-BUNDLE-V" + formatVersion + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private Bundles() {
    }

    /** An uncompressed bundle. Deterministic: the same manifest and key give the same bytes (Ed25519 is). */
    public static byte[] sign(BundleManifest manifest, SigningKey key) {
        return sign(manifest, key, false);
    }

    public static byte[] sign(BundleManifest manifest, SigningKey key, boolean gzip) {
        byte[] payload = ManifestJson.write(manifest);
        byte[] sig;
        try {
            Signature s = Signature.getInstance(SIGNATURE_ALGORITHM);
            s.initSign(key.privateKey());
            s.update(signatureContext(manifest.formatVersion()));
            s.update(payload);
            sig = s.sign();
            // a private key paired with the wrong public key would make bundles that never verify: catch it here
            Signature v = Signature.getInstance(SIGNATURE_ALGORITHM);
            v.initVerify(key.publicKey());
            v.update(signatureContext(manifest.formatVersion()));
            v.update(payload);
            if (!v.verify(sig)) {
                throw new IllegalArgumentException("the private key does not match public key " + key.keyId());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
        ObjectNode env = ManifestJson.MAPPER.createObjectNode(); // field order is part of determinism
        env.put("format", FORMAT);
        env.put("formatVersion", manifest.formatVersion());
        env.put("payloadSha256", BundleReader.sha256(payload));
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        ObjectNode s = env.putObject("signature");
        s.put("alg", SIGNATURE_ALGORITHM);
        s.put("keyId", key.keyId());
        s.put("value", Base64.getEncoder().encodeToString(sig));
        byte[] json;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 4 / 3 + 512);
            ManifestJson.MAPPER.writeValue(out, env);
            out.write('\n');
            json = out.toByteArray();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gzip ? gzip(json) : json;
    }

    /** GZIPOutputStream writes a fixed header (no name, mtime 0), so this stays deterministic. */
    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Signs and writes atomically (temporary file, then rename), so a reader never sees half a bundle. */
    public static void write(Path file, BundleManifest manifest, SigningKey key, boolean gzip) throws IOException {
        byte[] bytes = sign(manifest, key, gzip);
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Verified load with the default size limit. */
    public static ModelBundle load(Path file, TrustedKeys trusted) throws BundleException {
        return BundleReader.withDefaults().load(file, trusted);
    }

    public static ModelBundle load(byte[] file, TrustedKeys trusted) throws BundleException {
        return BundleReader.withDefaults().load(file, trusted);
    }

    /** Unverified look inside, with the default size limit. */
    public static BundleInspection inspect(Path file) throws BundleException {
        return BundleReader.withDefaults().inspect(file);
    }

    public static BundleInspection inspect(byte[] file) throws BundleException {
        return BundleReader.withDefaults().inspect(file);
    }
}

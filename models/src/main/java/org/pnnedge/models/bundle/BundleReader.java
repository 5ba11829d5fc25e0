package org.pnnedge.models.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.fasterxml.jackson.databind.JsonNode;
import org.pnnedge.models.bundle.BundleException.Reason;
import org.tinylog.Logger;

/**
 * Reads and checks bundles, in this order: size, gzip, JSON, format, format version, envelope schema,
 * payload hash, signature, then the manifest schema. The signature is checked before the manifest is
 * interpreted, so nothing but the small envelope is parsed from an unauthenticated file.
 *
 * @param maxBytes largest accepted bundle, both as stored and (when gzipped) decompressed
 */
public record BundleReader(long maxBytes) {
    private static final Set<String> ENVELOPE_FIELDS = Set.of("format", "formatVersion", "payloadSha256", "payload",
            "signature");
    private static final Set<String> SIGNATURE_FIELDS = Set.of("alg", "keyId", "value");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    public BundleReader {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBytes must be in 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxBytes);
        }
    }

    public static BundleReader withDefaults() {
        return new BundleReader(Bundles.DEFAULT_MAX_BYTES);
    }

    /** Verified load: rejects anything not signed by one of {@code trusted}. */
    public ModelBundle load(Path file, TrustedKeys trusted) throws BundleException {
        return load(readFile(file), trusted);
    }

    public ModelBundle load(byte[] file, TrustedKeys trusted) throws BundleException {
        Envelope env = open(file);
        if (env.signature == null) {
            throw new BundleException(Reason.MISSING_SIGNATURE, "the bundle has no \"signature\"; sign it with "
                    + "'pnn sign' (only 'pnn verify' without --trust shows unsigned bundles, as UNVERIFIED)");
        }
        SignatureBlock sig = env.signature;
        TrustedKey key = trusted.find(sig.keyId).orElseThrow(() -> new BundleException(Reason.UNTRUSTED_KEY,
                "signed by key " + sig.keyId + ", which is not trusted (" + (trusted.isEmpty() ? "no trusted keys given"
                        : "trusted: " + String.join(", ", trusted.keyIds())) + ")"));
        if (!verify(key, env.formatVersion, env.payload, sig.value)) {
            throw new BundleException(Reason.BAD_SIGNATURE, "the signature does not verify with trusted key "
                    + key.keyId() + " (" + key.source() + "): the payload or signature was altered after signing");
        }
        BundleManifest m = manifest(env);
        if (key.development()) {
            Logger.warn("bundle {} {} is {}", m.modelId(), m.version(), DevelopmentKeys.WARNING);
        }
        return new ModelBundle(m, key.keyId(), env.sha256, key.development());
    }

    /** Unverified read: checks everything but the signature (see {@link BundleInspection}). */
    public BundleInspection inspect(Path file) throws BundleException {
        return inspect(readFile(file));
    }

    public BundleInspection inspect(byte[] file) throws BundleException {
        Envelope env = open(file);
        BundleManifest m = manifest(env);
        return env.signature == null ? new BundleInspection(m, env.sha256, null, null)
                : new BundleInspection(m, env.sha256, env.signature.keyId, env.signature.alg);
    }

    /** Reads at most {@code maxBytes}; the size is checked before anything is parsed. */
    public byte[] readFile(Path file) throws BundleException {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw oversize(file + " is " + size + " bytes");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] b = in.readNBytes((int) maxBytes + 1); // the file may have grown since size()
                if (b.length > maxBytes) {
                    throw oversize(file + " is more than " + maxBytes + " bytes");
                }
                return b;
            }
        } catch (NoSuchFileException e) {
            throw new BundleException(Reason.IO, "no such file: " + file, e);
        } catch (IOException e) {
            throw new BundleException(Reason.IO, file + ": " + e, e);
        }
    }

    private BundleException oversize(String what) {
        return new BundleException(Reason.OVERSIZE, what + "; the limit is " + maxBytes + " bytes");
    }

    // ---- envelope

    private record SignatureBlock(String alg, String keyId, byte[] value) {
    }

    private record Envelope(int formatVersion, byte[] payload, String sha256, SignatureBlock signature) {
    }

    private Envelope open(byte[] file) throws BundleException {
        if (file.length > maxBytes) {
            throw oversize("the bundle is " + file.length + " bytes");
        }
        if (file.length == 0) {
            throw new BundleException(Reason.TRUNCATED, "the file is empty");
        }
        byte[] json = isGzip(file) ? gunzip(file) : file;
        JsonNode root;
        try {
            root = ManifestJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw ManifestJson.syntax(e, "the bundle");
        }
        if (root == null || root.isMissingNode()) {
            throw new BundleException(Reason.TRUNCATED, "the file holds no JSON document");
        }
        if (!root.isObject()) {
            throw new BundleException(Reason.UNKNOWN_FORMAT, "expected a JSON object with \"format\": \""
                    + Bundles.FORMAT + "\", got a JSON " + type(root));
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !Bundles.FORMAT.equals(format.textValue())) {
            throw new BundleException(Reason.UNKNOWN_FORMAT, "\"format\" is " + (format == null ? "missing"
                    : format.toString()) + ", expected \"" + Bundles.FORMAT + "\"");
        }
        JsonNode version = root.get("formatVersion");
        if (version == null || !version.isIntegralNumber()) {
            throw schema("field 'formatVersion' must be an integer, got " + describe(version));
        }
        if (!version.canConvertToInt() || version.intValue() < Bundles.MIN_FORMAT_VERSION
                || version.intValue() > Bundles.FORMAT_VERSION) {
            throw new BundleException(Reason.UNSUPPORTED_FORMAT_VERSION, "formatVersion is " + version
                    + ", this reader supports " + Bundles.MIN_FORMAT_VERSION + " to " + Bundles.FORMAT_VERSION
                    + " (a newer PNN Edge may read it)");
        }
        unknownFields(root, ENVELOPE_FIELDS, "");
        byte[] payload = base64(text(root, "payload"), "payload");
        String declared = text(root, "payloadSha256");
        if (!SHA256_HEX.matcher(declared).matches()) {
            throw schema("field 'payloadSha256' must be 64 lower-case hex digits, got \"" + abbreviate(declared) + "\"");
        }
        String actual = sha256(payload);
        if (!actual.equals(declared)) {
            throw new BundleException(Reason.HASH_MISMATCH, "payloadSha256 says " + declared + " but the payload hashes "
                    + "to " + actual + ": the file was modified or corrupted");
        }
        JsonNode s = root.get("signature");
        if (s == null || s.isNull()) {
            return new Envelope(version.intValue(), payload, actual, null);
        }
        if (!s.isObject()) {
            throw schema("field 'signature' must be an object, got " + describe(s));
        }
        unknownFields(s, SIGNATURE_FIELDS, "signature.");
        String alg = text(s, "alg", "signature.alg");
        if (!Bundles.SIGNATURE_ALGORITHM.equals(alg)) {
            throw new BundleException(Reason.UNSUPPORTED_SIGNATURE_ALGORITHM, "signature.alg is \"" + abbreviate(alg)
                    + "\", only \"" + Bundles.SIGNATURE_ALGORITHM + "\" is supported");
        }
        String keyId = text(s, "keyId", "signature.keyId");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw schema("field 'signature.keyId' must be 16 lower-case hex digits, got \"" + abbreviate(keyId) + "\"");
        }
        byte[] value;
        try {
            value = Base64.getDecoder().decode(text(s, "value", "signature.value"));
        } catch (IllegalArgumentException e) {
            throw new BundleException(Reason.BAD_SIGNATURE, "signature.value is not valid base64", e);
        }
        if (value.length != 64) {
            throw new BundleException(Reason.BAD_SIGNATURE, "signature.value is " + value.length
                    + " bytes, an Ed25519 signature is 64");
        }
        return new Envelope(version.intValue(), payload, actual, new SignatureBlock(alg, keyId, value));
    }

    private static BundleManifest manifest(Envelope env) throws BundleException {
        BundleManifest m = ManifestJson.read(env.payload, "payload");
        if (m.formatVersion() != env.formatVersion) {
            throw schema("payload.formatVersion is " + m.formatVersion() + " but the envelope says "
                    + env.formatVersion);
        }
        return m;
    }

    private static boolean verify(TrustedKey key, int formatVersion, byte[] payload, byte[] signature) {
        try {
            Signature v = Signature.getInstance(Bundles.SIGNATURE_ALGORITHM);
            v.initVerify(key.publicKey());
            v.update(Bundles.signatureContext(formatVersion));
            v.update(payload);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a bad signature
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    private byte[] gunzip(byte[] file) throws BundleException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > maxBytes) { // a zip bomb stops here, not when memory runs out
                    throw oversize("the bundle decompresses to more than " + maxBytes + " bytes");
                }
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new BundleException(Reason.TRUNCATED, "the gzip stream ends early (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new BundleException(Reason.MALFORMED_GZIP, "the file starts like gzip but is corrupt: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new BundleException(Reason.MALFORMED_GZIP, "cannot decompress: " + e, e);
        }
    }

    private static void unknownFields(JsonNode obj, Set<String> known, String prefix) throws BundleException {
        for (Map.Entry<String, JsonNode> field : obj.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw schema("unknown field '" + prefix + abbreviate(name) + "' (expected one of: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode obj, String field) throws BundleException {
        return text(obj, field, field);
    }

    private static String text(JsonNode obj, String field, String path) throws BundleException {
        JsonNode n = obj.get(field);
        if (n == null) {
            throw schema("missing required field '" + path + "'");
        }
        if (!n.isTextual()) {
            throw schema("field '" + path + "' must be a string, got " + describe(n));
        }
        return n.textValue();
    }

    private static byte[] base64(String s, String path) throws BundleException {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw schema("field '" + path + "' is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private static BundleException schema(String detail) {
        return new BundleException(Reason.SCHEMA, detail);
    }

    private static String describe(JsonNode n) {
        return n == null ? "nothing (missing)" : type(n) + " " + abbreviate(n.toString());
    }

    private static String type(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}

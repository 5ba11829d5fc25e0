package org.pnnedge.models.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

import org.tinylog.Logger;

/**
 * Ed25519 keys (JDK only) and their files.
 *
 * <p>Files are PEM (RFC 7468) with comment lines before the block, so OpenSSL reads them too:
 * <pre>
 * # PNN Edge Ed25519 public key
 * # keyId: 3f9a0c1b2d4e5f60
 * # development: true        (only for development keys)
 * -----BEGIN PUBLIC KEY-----          (X.509 SubjectPublicKeyInfo, DER, base64)
 * ...
 * -----END PUBLIC KEY-----
 * </pre>
 * Private keys use {@code PRIVATE KEY} (unencrypted PKCS#8) and are created with mode 0600 where the file
 * system has POSIX permissions.
 */
public final class KeyFiles {
    static final String ALGORITHM = "Ed25519";
    private static final String PUBLIC = "PUBLIC KEY";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final Pattern DEV_MARK = Pattern.compile("(?im)^\\s*#\\s*development\\s*:\\s*(true|yes)\\b");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** A fresh key pair from the JDK's strong random source. */
    public static SigningKey generate(boolean development) {
        try {
            KeyPair kp = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new SigningKey(kp.getPrivate(), kp.getPublic(), null, development);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * Key id: the first 16 hex digits (64 bits) of SHA-256 over the public key's X.509 SubjectPublicKeyInfo
     * DER encoding. Short enough to read aloud, long enough that two keys of one fleet never collide.
     */
    public static String keyId(PublicKey key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isEd25519(Key k) {
        if (k instanceof EdECKey ed) {
            return ed.getParams() instanceof NamedParameterSpec n && n.getName().equalsIgnoreCase(ALGORITHM);
        }
        return ALGORITHM.equalsIgnoreCase(k.getAlgorithm());
    }

    /**
     * The public key of an Ed25519 private key. The JDK has no API for it, but its key pair generator takes
     * the private key as 32 bytes from the SecureRandom it is given, so feeding it those bytes derives the
     * pair; the result is checked, so a provider that works differently fails loudly instead of silently.
     * This lets {@code pnn sign} use any PKCS#8 Ed25519 key, e.g. one made by {@code openssl genpkey}.
     */
    public static PublicKey derivePublic(PrivateKey priv) {
        if (!(priv instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key with accessible key bytes");
        }
        byte[] seed = ed.getBytes().get();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
            KeyPair kp = g.generateKeyPair();
            byte[] got = ((EdECPrivateKey) kp.getPrivate()).getBytes().orElse(new byte[0]);
            if (!Arrays.equals(seed, got)) {
                throw new IllegalStateException("cannot derive the Ed25519 public key with this JDK's provider");
            }
            return kp.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the Ed25519 public key", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Hands out the given bytes once; only for {@link #derivePublic}. */
    private static final class FixedRandom extends SecureRandom {
        private final byte[] bytes;
        private boolean used;

        FixedRandom(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (used || out.length != bytes.length) {
                throw new IllegalStateException("unexpected use of the key derivation source");
            }
            used = true;
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    // ---- files

    /** Writes the private key with mode 0600 (where POSIX permissions exist); refuses to replace a file unless overwrite. */
    public static void writePrivate(Path file, SigningKey key, boolean overwrite) throws IOException {
        String text = "# PNN Edge Ed25519 private key. Keep it secret: whoever has it can sign model bundles.\n"
                + header(key.keyId(), key.development()) + pem(PRIVATE, key.privateKey().getEncoded());
        if (overwrite) {
            Files.deleteIfExists(file); // re-create, so the new file gets 0600 whatever the old one had
        }
        if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            // created with 0600 from the start: no window in which the key is readable by others
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(file, OWNER_ONLY); // the umask may have removed bits, never added: be exact
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public static void writePublic(Path file, PublicKey key, boolean development, boolean overwrite) throws IOException {
        String text = "# PNN Edge Ed25519 public key. Bundles signed by its private key verify against it.\n"
                + header(keyId(key), development) + pem(PUBLIC, key.getEncoded());
        if (overwrite) {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } else {
            Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private static String header(String keyId, boolean development) {
        return "# keyId: " + keyId + "\n"
                + (development ? "# development: true   (DEVELOPMENT KEY: not secret, never trust it in production)\n" : "");
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** Reads a private key file (this format, or any unencrypted PKCS#8 Ed25519 PEM such as OpenSSL's). */
    public static SigningKey readPrivate(Path file) throws IOException {
        String text = read(file);
        warnIfReadableByOthers(file);
        byte[] der = block(text, PRIVATE, file);
        try {
            PrivateKey priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
            return new SigningKey(priv, derivePublic(priv), null, DEV_MARK.matcher(text).find());
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(file + ": not an Ed25519 PKCS#8 private key (" + e.getMessage() + ")", e);
        }
    }

    /** Reads a public key file (this format, or any X.509 SubjectPublicKeyInfo Ed25519 PEM). */
    public static TrustedKey readPublic(Path file) throws IOException {
        String text = read(file);
        if (text.contains("-----BEGIN " + PRIVATE + "-----") && !text.contains("-----BEGIN " + PUBLIC + "-----")) {
            throw new IllegalArgumentException(file + " holds a private key; trust the public key (.pub) instead");
        }
        byte[] der = block(text, PUBLIC, file);
        try {
            PublicKey pub = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
            return new TrustedKey(pub, null, DEV_MARK.matcher(text).find(), file.toString());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > 64 * 1024) {
            throw new IllegalArgumentException(file + " is too large to be a key file");
        }
        return Files.readString(file, StandardCharsets.ISO_8859_1); // never fails on odd bytes; PEM is ASCII
    }

    private static byte[] block(String text, String label, Path file) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b + begin.length()); // after BEGIN: the two may share dashes
        if (b < 0 || e < 0) {
            String hint = text.contains("ENCRYPTED PRIVATE KEY") ? " (encrypted keys are not supported)" : "";
            throw new IllegalArgumentException(file + ": no '" + begin + "' ... '" + end + "' block" + hint);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e).strip());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(file + ": the " + label + " block is not valid base64", ex);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> p = EnumSet.copyOf(Files.getPosixFilePermissions(file));
                p.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
                if (!p.isEmpty()) {
                    Logger.warn("private key {} is accessible by other users ({}); chmod 600 it", file,
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // permissions are advisory here; reading the key already worked
        }
    }
}

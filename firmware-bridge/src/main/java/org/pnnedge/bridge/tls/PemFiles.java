package org.pnnedge.bridge.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone (no Bouncy Castle): X.509 certificate files (one or a
 * chain), PKCS#8 {@code PRIVATE KEY} and PKCS#1 {@code RSA PRIVATE KEY}. Shared by the device bridge's TLS and the
 * MQTT link's. Errors name the file.
 */
public final class PemFiles {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private PemFiles() {
    }

    /** Every certificate in a PEM (or DER) file, in file order. */
    public static List<Certificate> certificates(Path pem) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(pem + ": not a PEM or DER X.509 certificate file (" + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException(pem + ": no certificate found");
        }
        return new ArrayList<>(certs);
    }

    /** The first private key in a PEM file (RSA, EC, Ed25519, Ed448). */
    public static PrivateKey privateKey(Path pem) throws GeneralSecurityException, IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(pem, der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(pem, wrapPkcs1Rsa(der));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(pem
                        + ": encrypted private keys are not supported; decrypt it with"
                        + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem'");
                case "EC PRIVATE KEY" -> throw new GeneralSecurityException(pem
                        + ": SEC1 'EC PRIVATE KEY' is not supported; convert it to PKCS#8 with"
                        + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem'");
                default -> {
                    // e.g. "EC PARAMETERS" before the key: keep looking
                }
            }
        }
        throw new GeneralSecurityException(pem + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    private static PrivateKey pkcs8(Path pem, byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(pem + ": unsupported private key algorithm (RSA, EC, Ed25519 supported)");
    }

    /** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo {0, {rsaEncryption, NULL}, OCTET STRING pkcs1}. */
    public static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] octet = tlv(0x04, pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algId);
        body.writeBytes(octet);
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}

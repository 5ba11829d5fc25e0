package org.pnnedge.runtime.fleet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-1 credential (RFC 5802) computed here and registered as ejabberd's {@code #scram{}} record, so the
 * broker stores only the stored key and server key, never the password. ejabberd computes the same record itself
 * with 4,096 iterations, hashed in an Erlang loop: ~10–20 ms of a core for every registration and, worse, for every
 * MQTT login checked against it (fleet.md, "SCRAM cost"). Our passwords are 192-bit random secrets
 * ({@link FleetAccounts}), which key stretching does not make any harder to guess, so we register them with
 * {@link #ITERATIONS} iterations: a login costs ~1 ms and 3,000 devices failing over from a dead node no longer
 * keep the surviving nodes busy for a minute.
 *
 * @param storedKey base64 of H(ClientKey)
 * @param serverKey base64 of HMAC(SaltedPassword, "Server Key")
 * @param salt      base64 of the 16 random salt bytes
 * @param iterations PBKDF2 iteration count
 */
record ScramCredential(String storedKey, String serverKey, String salt, int iterations) {
    /** Iterations for generated (random, 192-bit) passwords; see the class comment for why not 4,096. */
    static final int ITERATIONS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh random salt and {@link #ITERATIONS}. */
    static ScramCredential of(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return of(password, salt, ITERATIONS);
    }

    static ScramCredential of(String password, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("SCRAM iteration count must be ≥ 1, got " + iterations);
        }
        try {
            byte[] salted = saltedPassword(password, salt, iterations);
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-1").digest(clientKey);
            Base64.Encoder b64 = Base64.getEncoder();
            return new ScramCredential(b64.encodeToString(storedKey), b64.encodeToString(hmac(salted, "Server Key")),
                    b64.encodeToString(salt), iterations);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA1/HmacSHA1/SHA-1: " + e.getMessage(), e);
        }
    }

    /** Hi(password, salt, i) of RFC 5802: PBKDF2 with HMAC-SHA-1, 20 bytes. */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 160);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    /** ejabberd's {@code #scram{storedkey, serverkey, salt, hash = sha, iterationcount}} as Erlang term text. */
    String erlangRecord() {
        return Erl.tuple(Erl.atom("scram"), Erl.bin(storedKey), Erl.bin(serverKey), Erl.bin(salt), Erl.atom("sha"),
                Integer.toString(iterations));
    }
}

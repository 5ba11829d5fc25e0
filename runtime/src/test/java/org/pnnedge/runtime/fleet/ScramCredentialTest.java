package org.pnnedge.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** The credential we register for ejabberd against the SCRAM-SHA-1 exchange of RFC 5802, section 5. */
class ScramCredentialTest {
    private static final String AUTH_MESSAGE = "n=user,r=fyko+d2lbbFgONRv9qkxdawL,"
            + "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,"
            + "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";

    @Test
    void theStoredAndServerKeysVerifyTheRfcExchange() throws Exception {
        Base64.Decoder d = Base64.getDecoder();
        ScramCredential c = ScramCredential.of("pencil", d.decode("QSXCR+Q6sek8bf92"), 4096);
        assertEquals("QSXCR+Q6sek8bf92", c.salt());
        assertEquals(4096, c.iterations());
        // the server's signature in the RFC is HMAC(ServerKey, AuthMessage)
        assertEquals("rmF9pqV8S7suAoZWja4dJRkFsKQ=", Base64.getEncoder().encodeToString(
                ScramCredential.hmac(d.decode(c.serverKey()), AUTH_MESSAGE)));
        // a server checks the client's proof with the stored key alone: H(proof XOR HMAC(StoredKey, AuthMessage))
        byte[] proof = d.decode("v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        byte[] signature = ScramCredential.hmac(d.decode(c.storedKey()), AUTH_MESSAGE);
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= signature[i];
        }
        assertArrayEquals(d.decode(c.storedKey()), MessageDigest.getInstance("SHA-1").digest(proof));
    }

    @Test
    void freshCredentialsHaveTheirOwnSaltAndTheFleetIterationCount() {
        ScramCredential a = ScramCredential.of("same-password");
        ScramCredential b = ScramCredential.of("same-password");
        assertEquals(ScramCredential.ITERATIONS, a.iterations());
        assertEquals(16, Base64.getDecoder().decode(a.salt()).length);
        assertNotEquals(a.salt(), b.salt());
        assertNotEquals(a.storedKey(), b.storedKey());
    }

    @Test
    void theErlangRecordIsEjabberdsScramRecord() {
        ScramCredential c = new ScramCredential("c3Q=", "c2U=", "c2E=", 256);
        assertEquals("{'scram',<<\"c3Q=\">>,<<\"c2U=\">>,<<\"c2E=\">>,'sha',256}", c.erlangRecord());
        assertThrows(IllegalArgumentException.class, () -> ScramCredential.of("p", new byte[16], 0));
    }
}

package org.pnnedge.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void keyFilesRoundTrip() throws Exception {
        SigningKey k = KeyFiles.generate(false);
        Path priv = dir.resolve("a.key");
        Path pub = dir.resolve("a.pub");
        KeyFiles.writePrivate(priv, k, false);
        KeyFiles.writePublic(pub, k.publicKey(), false, false);

        SigningKey back = KeyFiles.readPrivate(priv);
        assertArrayEquals(k.privateKey().getEncoded(), back.privateKey().getEncoded());
        assertArrayEquals(k.publicKey().getEncoded(), back.publicKey().getEncoded()); // derived from the private key
        assertEquals(k.keyId(), back.keyId());
        TrustedKey t = KeyFiles.readPublic(pub);
        assertEquals(k.keyId(), t.keyId());
        assertEquals(pub.toString(), t.source());
        assertFalse(t.development());

        String text = Files.readString(priv);
        assertTrue(text.contains("# keyId: " + k.keyId()) && text.contains("-----BEGIN PRIVATE KEY-----"), text);
        assertTrue(Files.readString(pub).contains("-----BEGIN PUBLIC KEY-----"));
        assertEquals(16, k.keyId().length());

        // a bundle signed with the re-read key verifies with the re-read public key
        byte[] b = Bundles.sign(Samples.manifest(), back);
        assertEquals(k.keyId(), Bundles.load(b, TrustedKeys.load(pub)).keyId());
    }

    @Test
    void privateKeyIsOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "no POSIX permissions here");
        SigningKey k = KeyFiles.generate(false);
        Path priv = dir.resolve("p.key");
        KeyFiles.writePrivate(priv, k, false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        // overwriting re-creates the file, so loose permissions of the old one do not survive
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
        KeyFiles.writePrivate(priv, KeyFiles.generate(false), true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
    }

    @Test
    void refusesToOverwriteUnlessAsked() throws Exception {
        SigningKey k = KeyFiles.generate(false);
        Path priv = dir.resolve("k.key");
        KeyFiles.writePrivate(priv, k, false);
        assertThrows(FileAlreadyExistsException.class, () -> KeyFiles.writePrivate(priv, k, false));
        Path pub = dir.resolve("k.pub");
        KeyFiles.writePublic(pub, k.publicKey(), false, false);
        assertThrows(FileAlreadyExistsException.class, () -> KeyFiles.writePublic(pub, k.publicKey(), false, false));
    }

    @Test
    void developmentMarkSurvivesTheFile() throws Exception {
        SigningKey dev = KeyFiles.generate(true);
        KeyFiles.writePrivate(dir.resolve("dev.key"), dev, false);
        KeyFiles.writePublic(dir.resolve("dev.pub"), dev.publicKey(), true, false);
        assertTrue(KeyFiles.readPrivate(dir.resolve("dev.key")).development());
        assertTrue(KeyFiles.readPublic(dir.resolve("dev.pub")).development());
        assertTrue(Files.readString(dir.resolve("dev.pub")).contains("DEVELOPMENT KEY"));
    }

    @Test
    void trustedKeysFromADirectory() throws Exception {
        SigningKey a = KeyFiles.generate(false);
        SigningKey b = KeyFiles.generate(false);
        KeyFiles.writePublic(dir.resolve("a.pub"), a.publicKey(), false, false);
        KeyFiles.writePublic(dir.resolve("b.pub"), b.publicKey(), false, false);
        KeyFiles.writePrivate(dir.resolve("a.key"), a, false); // ignored: not a .pub
        TrustedKeys t = TrustedKeys.load(dir);
        assertEquals(2, t.size());
        assertTrue(t.find(a.keyId()).isPresent() && t.find(b.keyId()).isPresent());
        // the same key from a file and the directory counts once
        assertEquals(2, TrustedKeys.load(dir, dir.resolve("a.pub")).size());
    }

    @Test
    void clearErrorsForWrongFiles() throws Exception {
        SigningKey k = KeyFiles.generate(false);
        Path priv = dir.resolve("k.key");
        KeyFiles.writePrivate(priv, k, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.readPublic(priv));
        assertTrue(e.getMessage().contains("holds a private key"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.pub"), "hello");
        e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.readPublic(junk));
        assertTrue(e.getMessage().contains("no '-----BEGIN PUBLIC KEY-----'"), e.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        e = assertThrows(IllegalArgumentException.class, () -> TrustedKeys.load(empty));
        assertTrue(e.getMessage().contains("no .pub files"), e.getMessage());
    }

    @Test
    void mismatchedKeyIdIsRefused() {
        SigningKey a = KeyFiles.generate(false);
        SigningKey b = KeyFiles.generate(false);
        assertThrows(IllegalArgumentException.class, () -> new SigningKey(a.privateKey(), a.publicKey(), b.keyId(), false));
        // a private key paired with someone else's public key cannot sign
        SigningKey mixed = new SigningKey(a.privateKey(), b.publicKey());
        assertThrows(IllegalArgumentException.class, () -> Bundles.sign(Samples.manifest(), mixed));
        assertFalse(a.toString().contains("PRIVATE"));
    }
}

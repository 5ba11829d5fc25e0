package org.pnnedge.models.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.pnnedge.bridge.fuzz.Fuzz;

/**
 * Key files on hostile input: {@link KeyFiles#readPrivate} and {@link KeyFiles#readPublic} return a key or refuse
 * with IOException (cannot read) or IllegalArgumentException (not a PEM Ed25519 key), as their code documents.
 */
class KeyFilesFuzzTest {
    private static Path dir;
    private static byte[] privatePem;
    private static byte[] publicPem;

    @BeforeContainer
    static void keys() throws IOException {
        dir = Files.createTempDirectory("pnn-keyfuzz");
        SigningKey k = KeyFiles.generate(false);
        KeyFiles.writePrivate(dir.resolve("k.key"), k, false);
        KeyFiles.writePublic(dir.resolve("k.pub"), k.publicKey(), false, false);
        privatePem = Files.readAllBytes(dir.resolve("k.key"));
        publicPem = Files.readAllBytes(dir.resolve("k.pub"));
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static void read(byte[] content) throws IOException {
        Path f = dir.resolve("fuzz.pem");
        Files.write(f, content);
        Fuzz.accepted(() -> KeyFiles.readPrivate(f), IOException.class, IllegalArgumentException.class);
        Fuzz.accepted(() -> KeyFiles.readPublic(f), IOException.class, IllegalArgumentException.class);
    }

    @Property
    void randomBytesAreRefused(@ForAll @Size(max = 200) byte[] bytes) throws IOException {
        read(bytes);
    }

    @Property
    void mutatedPrivateKeysReadOrAreRefused(@ForAll long seed) throws IOException {
        read(Fuzz.mutate(privatePem, seed));
    }

    @Property
    void mutatedPublicKeysReadOrAreRefused(@ForAll long seed) throws IOException {
        read(Fuzz.mutate(publicPem, seed));
    }

    @Example
    void regressionSeedsAreRefused() throws IOException {
        for (byte[] seed : Fuzz.corpus(KeyFilesFuzzTest.class, "pem")) {
            read(seed);
        }
    }
}

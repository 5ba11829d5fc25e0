package org.pnnedge.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local development key: made on first use with owner-only modes, the same key ever after, flagged as such. */
class DevelopmentKeysTest {
    @Test
    void createdOnFirstUseOwnerOnlyAndStable(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("a/dev-keys");
        SigningKey k = DevelopmentKeys.loadOrCreate(dir);
        assertTrue(k.development());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(DevelopmentKeys.PRIVATE_FILE))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        TrustedKey pub = KeyFiles.readPublic(dir.resolve(DevelopmentKeys.PUBLIC_FILE));
        assertEquals(k.keyId(), pub.keyId());
        assertTrue(pub.development(), "the public file is marked, so a runtime can refuse bundles it signs");
        assertEquals(k.keyId(), DevelopmentKeys.loadOrCreate(dir).keyId());
        ModelBundle b = Bundles.load(Bundles.sign(Samples.manifest(), k), TrustedKeys.load(dir.resolve("pnn-dev.pub")));
        assertTrue(b.developmentKey());
    }

    @Test
    void racingFirstUsesAgreeOnOneKey(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("dev-keys");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SigningKey>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                all.add(pool.submit(() -> DevelopmentKeys.loadOrCreate(dir)));
            }
            String id = all.get(0).get().keyId();
            for (Future<SigningKey> f : all) {
                assertEquals(id, f.get().keyId());
            }
        } finally {
            pool.shutdownNow();
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of("pnn-dev.key", "pnn-dev.pub"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left");
        }
    }
}

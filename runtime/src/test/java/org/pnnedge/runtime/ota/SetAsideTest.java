package org.pnnedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pnnedge.runtime.ota.BundleStoreTest.install;
import static org.pnnedge.runtime.ota.OtaFixtures.DEFAULT_BUNDLE;
import static org.pnnedge.runtime.ota.OtaFixtures.RELEASE_KEYS;
import static org.pnnedge.runtime.ota.OtaFixtures.TRUSTED;
import static org.pnnedge.runtime.ota.OtaFixtures.assertConsistent;
import static org.pnnedge.runtime.ota.OtaFixtures.sign;
import static org.pnnedge.runtime.ota.OtaFixtures.variant;
import static org.pnnedge.runtime.ota.OtaFixtures.version;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.bundle.BundleException;

/**
 * A store whose bundles stop verifying because the trusted keys changed (ota.md, "Keys": a wrong
 * {@code bundle.trusted_keys}, or a key withdrawn) falls back to what still verifies and keeps the rest aside.
 */
class SetAsideTest {
    @TempDir
    Path dir;

    @Test
    void bundlesOfAKeyNoLongerTrustedAreKeptAsideAndStillVerifyOnceItIsTrustedAgain() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        byte[] v110 = sign(variant("1.1.0", List.of()));
        byte[] v120 = sign(variant("1.2.0", List.of()));
        install(s, v110);
        install(s, v120); // active 1.2.0, previous 1.1.0: both signed by the operator's key

        BundleStore again = BundleStore.open(dir, RELEASE_KEYS, DEFAULT_BUNDLE); // the operator's key left out
        assertEquals("1.0.0", version(again.active()), "the shipped bundle serves");
        List<Path> kept = unverified();
        assertEquals(2, kept.size(), kept.toString());
        assertTrue(kept.stream().anyMatch(p -> same(p, v120)), "the active update is kept, not overwritten");
        assertTrue(kept.stream().anyMatch(p -> same(p, v110)), "the previous one too");
        assertTrue(again.recovery().actions().stream().anyMatch(a -> a.startsWith("kept active.pnnb as unverified/")),
                again.recovery().toString());
        assertConsistent(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(SetAside.DIR))));
        for (Path p : kept) { // with the key trusted again they verify: put one back as active.pnnb to serve it
            OtaFixtures.load(Files.readAllBytes(p));
        }
    }

    @Test
    void aPromotedPreviousBundleDoesNotOverwriteTheActiveOne() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        byte[] v110 = sign(variant("1.1.0", List.of()));
        install(s, v110); // active 1.1.0 (operator's key), previous the shipped 1.0.0 (release key)
        BundleStore again = BundleStore.open(dir, RELEASE_KEYS, DEFAULT_BUNDLE);
        assertEquals("1.0.0", version(again.active()));
        assertTrue(again.recovery().actions().stream().anyMatch(a -> a.startsWith("promoted")));
        List<Path> kept = unverified();
        assertEquals(1, kept.size());
        assertArrayEquals(v110, Files.readAllBytes(kept.get(0)));
    }

    @Test
    void atMostKeepFilesAreKeptTheNewestOnes() throws Exception {
        byte[] last = null;
        for (int i = 1; i <= SetAside.KEEP + 3; i++) {
            BundleStore s = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
            last = sign(variant("1." + i + ".0", List.of()));
            install(s, last);
            BundleStore.open(dir, RELEASE_KEYS, DEFAULT_BUNDLE); // sets 1.i.0 aside, promotes the shipped bundle
        }
        List<Path> kept = unverified();
        assertEquals(SetAside.KEEP, kept.size(), kept.toString());
        byte[] newest = last;
        assertTrue(kept.stream().anyMatch(p -> same(p, newest)), "the newest is among those kept");
    }

    @Test
    void withNothingToReplaceThemTheFilesStayWhereTheyAre() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, (byte[]) null);
        byte[] v110 = sign(variant("1.1.0", List.of()));
        install(s, v110);
        assertThrows(BundleException.class, () -> BundleStore.open(dir, RELEASE_KEYS, (byte[]) null));
        assertArrayEquals(v110, Files.readAllBytes(dir.resolve(BundleStore.ACTIVE)));
        assertFalse(Files.exists(dir.resolve(SetAside.DIR)));
    }

    private List<Path> unverified() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve(SetAside.DIR))) {
            return new ArrayList<>(s.sorted().toList());
        }
    }

    private static boolean same(Path p, byte[] bytes) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(p), bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

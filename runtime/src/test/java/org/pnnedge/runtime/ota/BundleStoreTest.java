package org.pnnedge.runtime.ota;

import org.pnnedge.runtime.io.AtomicFiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pnnedge.runtime.ota.OtaFixtures.DEFAULT_BUNDLE;
import static org.pnnedge.runtime.ota.OtaFixtures.TRUSTED;
import static org.pnnedge.runtime.ota.OtaFixtures.assertConsistent;
import static org.pnnedge.runtime.ota.OtaFixtures.sign;
import static org.pnnedge.runtime.ota.OtaFixtures.variant;
import static org.pnnedge.runtime.ota.OtaFixtures.version;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;

class BundleStoreTest {
    @TempDir
    Path dir;

    /** Installs {@code bytes} through the store's own steps (no device, no self-test). */
    static ModelBundle install(BundleStore s, byte[] bytes) throws Exception {
        ModelBundle b = OtaFixtures.load(bytes);
        s.stage(bytes, b, BundleStore.Journal.of("update", "t", b, null));
        return s.commit();
    }

    @Test
    void anEmptyStoreInstallsTheShippedBundle() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, OtaFixtures.ROOT.resolve("src/dist/models/vowels7.pnnb"));
        assertEquals("vowels7", s.active().manifest().modelId());
        assertEquals("1.0.0", version(s.active()));
        assertFalse(s.active().developmentKey(), "the shipped bundle is signed by the release key");
        assertTrue(s.previous().isEmpty());
        assertArrayEquals(DEFAULT_BUNDLE, Files.readAllBytes(dir.resolve(BundleStore.ACTIVE)));
        assertConsistent(dir);
        assertFalse(s.recovery().clean(), "installing the initial bundle is reported");
        // the second start keeps what is there
        BundleStore again = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        assertTrue(again.recovery().clean(), again.recovery().toString());
    }

    @Test
    void withoutAnInitialBundleTheStoreStaysEmpty() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, (byte[]) null);
        assertTrue(s.isEmpty());
        assertThrows(IllegalStateException.class, s::active);
        install(s, sign(variant("1.1.0", List.of())));
        assertEquals("1.1.0", version(BundleStore.open(dir, TRUSTED, (byte[]) null).active()));
    }

    @Test
    void anUntrustedInitialBundleIsRefused() {
        BundleException e = assertThrows(BundleException.class,
                () -> BundleStore.open(dir, TrustedKeys.of(OtaFixtures.KEY.trusted()), DEFAULT_BUNDLE));
        assertEquals(BundleException.Reason.UNTRUSTED_KEY, e.reason());
    }

    @Test
    void rollbackSwapsActiveAndPrevious() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        assertThrows(IllegalStateException.class, s::rollback);
        byte[] v110 = sign(variant("1.1.0", List.of()));
        install(s, v110);
        assertEquals("1.1.0", version(s.active()));
        assertEquals("1.0.0", version(s.rollback()));
        assertEquals("1.0.0", version(s.active()));
        assertEquals("1.1.0", version(s.previous().orElseThrow()));
        assertArrayEquals(DEFAULT_BUNDLE, Files.readAllBytes(dir.resolve(BundleStore.ACTIVE)));
        assertArrayEquals(v110, Files.readAllBytes(dir.resolve(BundleStore.PREVIOUS)));
        assertConsistent(dir);
        BundleStore again = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        assertEquals("1.0.0", version(again.active()));
        assertEquals("1.1.0", version(again.rollback()));
    }

    @Test
    void aCorruptedActiveFileFallsBackToThePreviousBundle() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        byte[] v110 = sign(variant("1.1.0", List.of()));
        install(s, v110);
        // the SD card flips bytes in the active bundle
        byte[] bad = v110.clone();
        bad[bad.length / 2] ^= 0x20;
        Files.write(dir.resolve(BundleStore.ACTIVE), bad);
        BundleStore again = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        assertEquals("1.0.0", version(again.active()));
        assertTrue(again.previous().isEmpty());
        assertTrue(again.recovery().actions().stream().anyMatch(a -> a.contains("promoted")), again.recovery().toString());
        assertConsistent(dir);
    }

    @Test
    void nothingUsableAndNoInitialBundleIsAnError() throws Exception {
        BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        Files.writeString(dir.resolve(BundleStore.ACTIVE), "{\"format\":", StandardCharsets.UTF_8);
        BundleException e = assertThrows(BundleException.class, () -> BundleStore.open(dir, TRUSTED, (byte[]) null));
        assertEquals(BundleException.Reason.TRUNCATED, e.reason());
        // with the shipped bundle at hand, the store heals
        assertEquals("1.0.0", version(BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE).active()));
        assertConsistent(dir);
    }

    @Test
    void leftoverTemporaryFilesAreRemoved() throws Exception {
        BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        Files.write(dir.resolve(BundleStore.ACTIVE + ".tmp"), Arrays.copyOf(DEFAULT_BUNDLE, 100));
        Files.write(dir.resolve(BundleStore.STAGING).resolve(BundleStore.CANDIDATE + ".tmp"), new byte[] {1, 2});
        BundleStore s = BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
        assertConsistent(dir);
        assertEquals("1.0.0", version(s.active()));
        assertTrue(s.recovery().actions().get(0).contains("2 partly written"), s.recovery().toString());
    }

    @Test
    void atomicWriteReplacesWholeFiles() throws Exception {
        Path f = dir.resolve("x.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        AtomicFiles.write(f, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(f));
        // a crash half-way leaves the old file intact and a temporary file that open() removes
        assertThrows(CrashPoints.SimulatedCrash.class, () -> AtomicFiles.write(f, new byte[] {7, 7, 7, 7},
                () -> {
                    throw new CrashPoints.SimulatedCrash(CrashPoints.Point.DURING_STAGING_WRITE);
                }));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(f));
        assertTrue(Files.exists(dir.resolve("x.bin.tmp")));
        assertEquals(1, AtomicFiles.deleteTemporaries(dir));
    }
}

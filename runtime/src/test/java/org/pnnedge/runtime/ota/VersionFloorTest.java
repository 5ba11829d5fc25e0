package org.pnnedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException.Reason;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.runtime.ota.OtaStatus.Step;

/**
 * The persisted version floor (issue 13, item 3): an older, validly signed bundle replayed after a rollback, a
 * restored store or a deleted active bundle is refused; the floor only rises, and only for updates that were
 * switched and kept; the device's own allow-downgrade goes below it and moves it; an unreadable floor refuses
 * updates with the file and the fix named.
 */
class VersionFloorTest {
    static DeviceContext ctx;
    static DeviceLink link;
    static List<Probe> probes;
    static List<Probe> otherUnitProbes;

    @TempDir
    Path dir;
    final List<OtaStatus> statuses = new ArrayList<>();

    @BeforeAll
    static void device() {
        ctx = DeviceContext.create();
        link = ctx.open(OtaFixtures.SEED1);
        try (DeviceContext other = DeviceContext.create()) {
            probes = OtaFixtures.probesOn(other.open(OtaFixtures.SEED1));
            otherUnitProbes = OtaFixtures.probesOn(other.open(OtaFixtures.SEED7));
        }
    }

    @AfterAll
    static void close() {
        ctx.close();
    }

    static byte[] v(String version) {
        return sign(variant(version, probes));
    }

    BundleStore open() throws Exception {
        return BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE);
    }

    OtaUpdater updater(BundleStore s) {
        return OtaUpdater.builder(s, link.info()).selfTest(new ProbeSelfTest(link)).listener(statuses::add).build();
    }

    String floorFile() throws Exception {
        return Files.readString(dir.resolve(VersionFloor.FILE), StandardCharsets.UTF_8);
    }

    static OtaStatus assertStep(Step step, OtaStatus s) {
        assertEquals(step, s.step(), s.message());
        return s;
    }

    @Test
    void aFreshStoreStartsAtTheActiveVersionAndTheFloorOnlyRisesWithSwitchedUpdates() throws Exception {
        BundleStore s = open();
        assertEquals("1.0.0\n", floorFile(), "initialised from the shipped bundle");
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve(VersionFloor.FILE)));
        OtaUpdater u = updater(s);
        assertStep(Step.SWITCHED, u.apply(v("1.1.0"), null));
        assertEquals("1.1.0\n", floorFile());
        assertStep(Step.SWITCHED, u.apply(v("1.2.0"), null));
        assertEquals("1.2.0\n", floorFile());
        // an explicit rollback goes back to 1.1.0; the floor stays where it was
        assertStep(Step.ROLLED_BACK, u.rollback("r1"));
        assertEquals("1.1.0", version(s.active()));
        assertEquals("1.2.0\n", floorFile());
        // a replayed 1.1.5 is newer than the active 1.1.0 but below the floor: refused, nothing written
        OtaStatus r = assertStep(Step.REJECTED, u.apply(v("1.1.5"), null));
        assertEquals(OtaStatus.REASON_BELOW_VERSION_FLOOR, r.reason());
        assertTrue(r.message().contains("1.1.5") && r.message().contains("1.2.0")
                && r.message().contains(VersionFloor.FILE), r.message());
        assertEquals("1.1.0", version(s.active()));
        assertConsistent(dir);
        // the floor version itself may come back, and newer ones raise it again
        assertStep(Step.SWITCHED, u.apply(v("1.2.0"), null));
        assertStep(Step.SWITCHED, u.apply(v("1.3.0-rc.1"), null));
        assertEquals("1.3.0-rc.1\n", floorFile());
        assertEquals("1.3.0-rc.1", open().versionFloor().current().orElseThrow().toString(), "read at start");
    }

    @Test
    void afterTheActiveBundleWasDeletedOrRestoredFromAnOldCopyAnOlderBundleCannotBeReplayed() throws Exception {
        OtaUpdater u = updater(open());
        assertStep(Step.SWITCHED, u.apply(v("1.1.0"), null));
        assertStep(Step.SWITCHED, u.apply(v("1.2.0"), null));
        // both bundles gone: the store falls back to the shipped 1.0.0; the floor stays
        Files.delete(dir.resolve(BundleStore.ACTIVE));
        Files.delete(dir.resolve(BundleStore.PREVIOUS));
        BundleStore s = open();
        assertEquals("1.0.0", version(s.active()));
        assertEquals("1.2.0\n", floorFile());
        OtaStatus r = assertStep(Step.REJECTED, updater(s).apply(v("1.1.0"), null));
        assertEquals(OtaStatus.REASON_BELOW_VERSION_FLOOR, r.reason(), r.message());
        // an old copy of the store's bundle put back by hand: same
        Files.write(dir.resolve(BundleStore.ACTIVE), v("1.1.0"));
        s = open();
        assertEquals("1.1.0", version(s.active()));
        r = assertStep(Step.REJECTED, updater(s).apply(v("1.1.9"), null));
        assertEquals(OtaStatus.REASON_BELOW_VERSION_FLOOR, r.reason(), r.message());
        assertStep(Step.SWITCHED, updater(s).apply(v("1.2.1"), null));
        assertEquals("1.2.1\n", floorFile());
    }

    @Test
    void aFailedSelfTestOrActivationNeverRaisesTheFloor() throws Exception {
        BundleStore s = open();
        OtaStatus r = assertStep(Step.ROLLED_BACK, updater(s).apply(sign(variant("1.1.0", otherUnitProbes)), null));
        assertEquals(OtaStatus.REASON_SELF_TEST_PROBES, r.reason(), r.message());
        assertEquals("1.0.0\n", floorFile());
        OtaUpdater failing = OtaUpdater.builder(s, link.info()).activation(b -> {
            throw new IllegalStateException("no memory for the new model");
        }).build();
        assertStep(Step.ROLLED_BACK, failing.apply(v("1.1.0"), null));
        assertEquals("1.0.0\n", floorFile());
        assertEquals("1.0.0", open().versionFloor().current().orElseThrow().toString());
    }

    @Test
    void theDevicesOwnAllowDowngradeGoesBelowTheFloorAndSetsIt() throws Exception {
        BundleStore s = open();
        OtaUpdater u = updater(s);
        assertStep(Step.SWITCHED, u.apply(v("1.2.0"), null));
        OtaStatus r = assertStep(Step.REJECTED, u.apply(v("0.9.0"), null));
        assertEquals(Reason.DOWNGRADE.code(), r.reason(), r.message());
        assertStep(Step.SWITCHED, u.apply(v("0.9.0"), UpdateOptions.defaults().withAllowDowngrade(true)));
        assertEquals("0.9.0\n", floorFile(), "the operator's downgrade sets the floor");
        // without the permission, below the new floor is refused again; above it is fine
        assertStep(Step.SWITCHED, u.apply(v("0.9.5"), null));
        assertEquals("0.9.5\n", floorFile());
    }

    @Test
    void anUnreadableFloorRefusesUpdatesNamingTheFileAndTheFix() throws Exception {
        open();
        Path f = dir.resolve(VersionFloor.FILE);
        for (String bad : List.of("banana\n", "", "1.2\n", "9".repeat(VersionFloor.MAX_BYTES + 1))) {
            Files.writeString(f, bad);
            BundleStore s = open(); // the store still opens and serves
            assertEquals("1.0.0", version(s.active()));
            assertTrue(s.versionFloor().isUnreadable(), bad);
            OtaStatus r = assertStep(Step.REJECTED, updater(s).apply(v("1.1.0"), null));
            assertEquals(OtaStatus.REASON_VERSION_FLOOR_UNREADABLE, r.reason(), r.message());
            assertTrue(r.message().contains(f.toString()) && r.message().contains("printf '1.0.0\\n' >")
                    && r.message().contains("delete it"), r.message());
            assertEquals(bad, Files.readString(f), "left as it was, for the operator to look at");
            assertConsistent(dir);
        }
        Files.delete(f);
        Files.createDirectory(f); // not a file at all
        assertStep(Step.REJECTED, updater(open()).apply(v("1.1.0"), null));
        Files.delete(f);
        // the documented fix: delete it, the next start takes the active version
        assertStep(Step.SWITCHED, updater(open()).apply(v("1.1.0"), null));
        assertEquals("1.1.0\n", floorFile());
        // or the operator's explicit downgrade permission, which rewrites it
        Files.writeString(f, "banana\n");
        assertStep(Step.SWITCHED, updater(open()).apply(v("1.2.0"), UpdateOptions.defaults().withAllowDowngrade(true)));
        assertEquals("1.2.0\n", floorFile());
    }

    @Test
    void aStoreFromBeforeTheFloorStartsAtItsActiveVersionWithoutReportingARecovery() throws Exception {
        assertStep(Step.SWITCHED, updater(open()).apply(v("1.1.0"), null));
        Files.delete(dir.resolve(VersionFloor.FILE)); // as an older runtime left it
        BundleStore s = open();
        assertTrue(s.recovery().clean(), s.recovery().toString());
        assertEquals("1.1.0\n", floorFile());
        OtaStatus r = assertStep(Step.REJECTED, updater(s).apply(v("1.0.5"), null));
        assertEquals(Reason.DOWNGRADE.code(), r.reason(), r.message());
    }

    @Test
    void anEmptyStoreHasNoFloorUntilItsFirstUpdate() throws Exception {
        BundleStore s = BundleStore.open(dir, TRUSTED, (byte[]) null);
        assertTrue(s.versionFloor().current().isEmpty());
        assertFalse(Files.exists(dir.resolve(VersionFloor.FILE)));
        assertStep(Step.SWITCHED, updater(s).apply(v("0.1.0"), null));
        assertEquals("0.1.0\n", floorFile());
    }

    @Test
    void aFloorThatCouldNotBeWrittenIsWrittenBeforeTheNextUpdateAndOnTheNextStart() throws Exception {
        BundleStore s = open();
        // the atomic write's temporary file cannot be created: a non-empty directory sits where it would go
        Path blocker = dir.resolve(VersionFloor.FILE + ".tmp");
        Files.createDirectories(blocker.resolve("x"));
        OtaStatus r = assertStep(Step.SWITCHED, updater(s).apply(v("1.1.0"), null));
        assertEquals("1.1.0", r.activeVersion());
        assertEquals("1.0.0\n", floorFile(), "the write failed");
        assertEquals("1.1.0", s.versionFloor().current().orElseThrow().toString(), "it holds in memory");
        assertTrue(Files.exists(dir.resolve(BundleStore.JOURNAL)), "the journal stays, so a restart records it");
        // the next update first saves it, and fails as a storage error while it cannot
        r = assertStep(Step.ROLLED_BACK, updater(s).apply(v("1.2.0"), null));
        assertEquals(OtaStatus.REASON_STORAGE, r.reason(), r.message());
        assertEquals("1.1.0", version(s.active()));
        // once the disk is writable again, the next start raises it from the journal of the committed update
        Files.delete(blocker.resolve("x"));
        Files.delete(blocker);
        assertTrue(Files.exists(dir.resolve(BundleStore.JOURNAL)), "the failed stage left the journal of 1.1.0");
        BundleStore again = open();
        assertEquals("1.1.0\n", floorFile());
        assertStep(Step.SWITCHED, updater(again).apply(v("1.2.0"), null));
        assertEquals("1.2.0\n", floorFile());
        assertConsistent(dir);
    }
}

package org.pnnedge.runtime.ota;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleReader;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.runtime.ota.CrashPoints.Point;
import org.pnnedge.runtime.ota.CrashPoints.SimulatedCrash;
import org.pnnedge.runtime.ota.OtaStatus.Step;

/**
 * A crash between every pair of update steps: afterwards a new store on the same directory (a restart) finds a
 * consistent state, serving the old bundle if the crash came before the commit rename and the new one after
 * it, and the previous bundle as it should be — never a half-written file.
 */
class CrashConsistencyTest {
    /** Crashes at these points happen after the commit: the new bundle is active after the restart. */
    static final Set<Point> COMMITTED = EnumSet.of(Point.AFTER_COMMIT, Point.AFTER_PREVIOUS_SAVED, Point.AFTER_ACTIVATED,
            Point.AFTER_FLOOR_RECORDED);
    /** Crashes at these points happen before anything is written: nothing to recover. */
    static final Set<Point> NOTHING_WRITTEN = EnumSet.of(Point.AFTER_RECEIVED, Point.AFTER_VERIFIED);

    static DeviceContext ctx;
    static DeviceLink link;
    static byte[] v110;
    static byte[] v120;

    @TempDir
    Path dir;

    @BeforeAll
    static void device() {
        ctx = DeviceContext.create();
        link = ctx.open(OtaFixtures.SEED1);
        List<Probe> probes;
        try (DeviceContext other = DeviceContext.create()) {
            probes = OtaFixtures.probesOn(other.open(OtaFixtures.SEED1));
        }
        v110 = sign(variant("1.1.0", probes));
        v120 = sign(variant("1.2.0", probes));
    }

    @AfterAll
    static void close() {
        ctx.close();
    }

    BundleStore open(CrashPoints crash) throws Exception {
        return BundleStore.open(dir, TRUSTED, DEFAULT_BUNDLE, BundleReader.withDefaults(), crash);
    }

    OtaUpdater updater(BundleStore store, CrashPoints crash, List<OtaStatus> statuses) {
        return OtaUpdater.builder(store, link.info()).selfTest(new ProbeSelfTest(link)).listener(statuses::add)
                .crashPoints(crash).build();
    }

    @ParameterizedTest
    @EnumSource(Point.class)
    void crashDuringAnUpdateLeavesTheOldOrTheNewBundleAsDocumented(Point point) throws Exception {
        // 1.0.0 (shipped) → 1.1.0 works; then 1.1.0 → 1.2.0 crashes at the point
        BundleStore s0 = open(CrashPoints.NONE);
        assertEquals(Step.SWITCHED, updater(s0, CrashPoints.NONE, new java.util.ArrayList<>()).apply(v110, null).step());

        CrashPoints crash = CrashPoints.crashAt(point);
        BundleStore s1 = open(crash);
        List<OtaStatus> statuses = new java.util.ArrayList<>();
        SimulatedCrash c = assertThrows(SimulatedCrash.class,
                () -> updater(s1, crash, statuses).apply(v120, UpdateOptions.defaults().withUpdateId("upd-42")));
        assertEquals(point, c.point());
        assertTrue(statuses.stream().noneMatch(OtaStatus::isFinal), "no final status before the crash");

        // restart
        BundleStore s2 = open(CrashPoints.NONE);
        assertConsistent(dir);
        boolean committed = COMMITTED.contains(point);
        assertEquals(committed ? "1.2.0" : "1.1.0", version(s2.active()), "active after a crash at " + point);
        assertEquals(committed ? "1.1.0" : "1.0.0", version(s2.previous().orElseThrow()), "previous");
        assertArrayEquals(committed ? v120 : v110, Files.readAllBytes(dir.resolve(BundleStore.ACTIVE)));
        // the version floor follows what the restart reports: raised exactly when the update had committed
        assertEquals(committed ? "1.2.0\n" : "1.1.0\n", floorFile(), "version floor after a crash at " + point);
        assertEquals(committed ? "1.2.0" : "1.1.0", s2.versionFloor().current().orElseThrow().toString());

        BundleStore.Recovery r = s2.recovery();
        OtaUpdater after = updater(s2, CrashPoints.NONE, statuses);
        if (NOTHING_WRITTEN.contains(point)) {
            assertTrue(r.clean(), r.toString());
            assertTrue(after.recoveryStatus().isEmpty());
        } else {
            assertEquals("upd-42", r.interrupted().updateId());
            assertEquals(committed, r.updateCompleted(), r.toString());
            OtaStatus st = after.recoveryStatus().orElseThrow();
            assertEquals("upd-42", st.updateId());
            assertEquals(committed ? Step.SWITCHED : Step.ROLLED_BACK, st.step(), st.message());
            assertEquals(committed ? null : OtaStatus.REASON_INTERRUPTED, st.reason());
            assertEquals("1.2.0", st.version());
            assertEquals(committed ? "1.2.0" : "1.1.0", st.activeVersion());
        }
        // a third start finds nothing more to do
        assertTrue(open(CrashPoints.NONE).recovery().clean());

        // and the runtime can go on: retrying the update works (or it is already there)
        OtaStatus retry = updater(s2, CrashPoints.NONE, statuses).apply(v120, null);
        assertEquals(committed ? Step.REJECTED : Step.SWITCHED, retry.step(), retry.message());
        assertEquals("1.2.0", version(s2.active()));
        assertConsistent(dir);
    }

    @ParameterizedTest
    @EnumSource(value = Point.class, names = {"AFTER_JOURNAL", "DURING_STAGING_WRITE", "AFTER_OUTGOING_SAVED",
            "AFTER_COMMIT", "AFTER_PREVIOUS_SAVED"})
    void crashDuringARollback(Point point) throws Exception {
        BundleStore s0 = open(CrashPoints.NONE);
        updater(s0, CrashPoints.NONE, new java.util.ArrayList<>()).apply(v110, null);
        BundleStore s1 = open(CrashPoints.crashAt(point));
        assertThrows(SimulatedCrash.class, s1::rollback);
        BundleStore s2 = open(CrashPoints.NONE);
        assertConsistent(dir);
        boolean committed = COMMITTED.contains(point);
        assertEquals(committed ? "1.0.0" : "1.1.0", version(s2.active()));
        assertEquals(committed ? "1.1.0" : "1.0.0", version(s2.previous().orElseThrow()));
        assertEquals("rollback", s2.recovery().interrupted().kind());
        assertEquals("1.1.0\n", floorFile(), "a rollback never moves the floor");
    }

    String floorFile() throws Exception {
        return Files.readString(dir.resolve(VersionFloor.FILE));
    }

    /** Crashes at the {@code n}th time the update reaches {@code point} (the undo of a failed switch passes twice). */
    static CrashPoints crashAt(Point point, int n) {
        int[] seen = {0};
        return p -> {
            if (p == point && ++seen[0] == n) {
                throw new SimulatedCrash(p);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(value = Point.class, names = {"AFTER_JOURNAL", "DURING_STAGING_WRITE", "AFTER_OUTGOING_SAVED",
            "AFTER_COMMIT", "AFTER_PREVIOUS_SAVED"})
    void aCrashWhileUndoingAFailedActivationNeverRaisesTheFloor(Point point) throws Exception {
        BundleStore s0 = open(CrashPoints.NONE);
        assertEquals(Step.SWITCHED, updater(s0, CrashPoints.NONE, new java.util.ArrayList<>()).apply(v110, null).step());
        // 1.2.0 is committed, the service cannot activate it, and the store's swap back crashes at the point
        CrashPoints crash = crashAt(point, 2);
        BundleStore s1 = open(crash);
        OtaUpdater u = OtaUpdater.builder(s1, link.info()).crashPoints(crash).activation(b -> {
            throw new IllegalStateException("no memory for the new model");
        }).build();
        assertThrows(SimulatedCrash.class, () -> u.apply(v120, null));
        BundleStore s2 = open(CrashPoints.NONE);
        assertConsistent(dir);
        assertEquals("1.1.0\n", floorFile(), "1.2.0 was never kept: the floor stays after a crash at " + point);
        assertEquals("rollback", s2.recovery().interrupted().kind());
        assertEquals("1.1.0", s2.versionFloor().current().orElseThrow().toString());
        assertTrue(open(CrashPoints.NONE).recovery().clean(), "a third start finds nothing more to do");
    }

    @Test
    void crashOnTheFirstUpdateOfAnEmptyStore() throws Exception {
        // no initial bundle: the store starts empty and the first update has nothing to keep as previous
        BundleStore s1 = BundleStore.open(dir, TRUSTED, null, BundleReader.withDefaults(),
                CrashPoints.crashAt(Point.AFTER_COMMIT));
        assertTrue(s1.isEmpty());
        assertThrows(SimulatedCrash.class, () -> updater(s1, CrashPoints.NONE, new java.util.ArrayList<>())
                .apply(v110, null));
        BundleStore s2 = BundleStore.open(dir, TRUSTED, (byte[]) null);
        assertConsistent(dir);
        assertEquals("1.1.0", version(s2.active()));
        assertTrue(s2.previous().isEmpty());
        assertTrue(s2.recovery().updateCompleted());
        assertFalse(Files.exists(dir.resolve(BundleStore.PREVIOUS)));
    }
}

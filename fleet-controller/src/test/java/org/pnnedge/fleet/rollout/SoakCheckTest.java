package org.pnnedge.fleet.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.TestDatabase;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.monitor.MonitorSchema;

/** A stage's soak judged on stored telemetry (real PostgreSQL): known rows → known unhealthy and silent devices. */
class SoakCheckTest {
    private static TestDatabase pg;
    private static Path state;
    private static FleetDatabase db;

    @BeforeAll
    static void up() throws Exception {
        pg = TestDatabase.start("pnn-soak-test-");
        state = pg.dir();
        db = pg.db();
    }

    @AfterAll
    static void down() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void devicesBeyondALimitAreUnhealthyAndDevicesWithoutTelemetryAreSilent() throws Exception {
        Instant start = Instant.now().minusSeconds(60);
        Instant end = Instant.now();
        try (Connection c = db.connect()) {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            MonitorSchema.ensureDays(c, List.of(today.minusDays(1), today, today.plusDays(1)));
            // two messages each: drift, accuracy, and errors/inferences counters at the first and the last
            row(c, "ok-1", start.plusSeconds(10), 1, 0.10, 0.95, 0, 0);
            row(c, "ok-1", start.plusSeconds(40), 2, 0.12, 0.94, 1, 1000);
            row(c, "drifty", start.plusSeconds(10), 1, 0.10, 0.95, 0, 0);
            row(c, "drifty", start.plusSeconds(40), 2, 0.45, 0.90, 0, 1000);
            row(c, "errors", start.plusSeconds(10), 1, 0.05, 0.95, 5, 100);
            row(c, "errors", start.plusSeconds(40), 2, 0.05, 0.95, 15, 200);  // 10 errors in 100 inferences
            row(c, "deaf", start.plusSeconds(10), 1, 0.05, 0.60, 0, 0);
            row(c, "late", end.plusSeconds(30), 1, 0.90, 0.10, 0, 0);          // after the soak: not judged
        }
        SoakCheck.Limits limits = new SoakCheck.Limits(0.30, 0.01, 0.80);
        SoakCheck.Result r;
        try (Connection c = db.connect()) {
            r = SoakCheck.judge(c, List.of("ok-1", "drifty", "errors", "deaf", "late", "quiet"), start, end, limits);
        }
        assertEquals(4, r.judged(), r.toString());
        assertEquals(2, r.silent(), "late and quiet sent nothing during the soak: " + r);
        assertEquals(List.of("deaf", "drifty", "errors"), r.unhealthy().stream().map(SoakCheck.Unhealthy::device).toList(),
                r.toString());
        assertEquals("drift 0.450 > 0.300", r.unhealthy().get(1).why());
        assertEquals("error rate 0.100 > 0.0100", r.unhealthy().get(2).why());
        assertEquals("accuracy 0.600 < 0.800", r.unhealthy().get(0).why());
        assertFalse(SoakCheck.Limits.none().any());
    }

    private static void row(Connection c, String device, Instant ts, long seq, double drift, double accuracy,
                            long errors, long inferences) throws Exception {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO telemetry (device_id, ts, seq, received, drift, "
                + "accuracy, errors_total, inferences, body) VALUES (?, ?, ?, now(), ?, ?, ?, ?, '{}'::jsonb)")) {
            p.setString(1, device);
            p.setTimestamp(2, Timestamp.from(ts));
            p.setLong(3, seq);
            p.setDouble(4, drift);
            p.setDouble(5, accuracy);
            p.setLong(6, errors);
            p.setLong(7, inferences);
            p.executeUpdate();
        }
    }
}

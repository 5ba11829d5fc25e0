package org.pnnedge.fleet.rollout;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The soak's probes in the fleet database (migration V12): the probe settings kept with the rollout, each probed
 * device's score ({@code rollout_probe}), and a per-stage summary for {@code pnn fleet rollout status}.
 */
public final class SoakProbes {
    private SoakProbes() {
    }

    /** One stage's probe scores: devices probed, how many failed, lowest and mean accuracy. */
    public record StageSummary(int stage, int devices, int failed, int silent, double minAccuracy, double meanAccuracy,
                               String worst) {
    }

    /** One device's probe score in a rollout's stage ({@code rollout_probe}), for the fleet page. */
    public record DeviceProbe(long rollout, String version, int stage, int sent, int answered, int correct,
                              double accuracy, boolean passed, String reason, String measuredAt) {
    }

    static void save(Connection c, long id, ProbeRun.Settings s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE rollout SET soak_probes = ?::jsonb, soak_probe_count = ?, "
                + "soak_probe_timeout_ms = ?, soak_probe_window = ? WHERE id = ?")) {
            p.setString(1, s.set().toJson());
            p.setInt(2, s.count());
            p.setLong(3, s.timeout().toMillis());
            p.setInt(4, s.window());
            p.setLong(5, id);
            p.executeUpdate();
        }
    }

    static Optional<ProbeRun.Settings> settings(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT soak_probes::text, soak_probe_count, soak_probe_timeout_ms, "
                + "soak_probe_window FROM rollout WHERE id = ? AND soak_probes IS NOT NULL")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ProbeRun.Settings(ProbeSet.fromJson(rs.getString(1)), rs.getInt(2),
                        Duration.ofMillis(rs.getLong(3)), rs.getInt(4)));
            }
        } catch (IOException e) {
            throw new SQLException("rollout " + id + ": stored probe set is unreadable: " + e.getMessage(), e);
        }
    }

    static void results(Connection c, long id, int stage, List<ProbeRun.DeviceResult> results) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO rollout_probe (rollout_id, device_id, stage_no, sent, "
                + "answered, correct, errors, accuracy, passed, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (rollout_id, device_id) DO UPDATE SET stage_no = EXCLUDED.stage_no, sent = EXCLUDED.sent, "
                + "answered = EXCLUDED.answered, correct = EXCLUDED.correct, errors = EXCLUDED.errors, "
                + "accuracy = EXCLUDED.accuracy, passed = EXCLUDED.passed, reason = EXCLUDED.reason, measured_at = now()")) {
            for (ProbeRun.DeviceResult r : results) {
                int i = 1;
                p.setLong(i++, id);
                p.setString(i++, r.device());
                p.setInt(i++, stage);
                p.setInt(i++, r.sent());
                p.setInt(i++, r.answered());
                p.setInt(i++, r.correct());
                p.setInt(i++, r.errors());
                p.setDouble(i++, r.accuracy());
                p.setBoolean(i++, r.passed());
                p.setString(i, r.reason());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Per stage with probe results, in stage order. */
    public static List<StageSummary> summaries(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT stage_no, count(*), count(*) FILTER (WHERE NOT passed), "
                + "count(*) FILTER (WHERE answered = 0), min(accuracy), avg(accuracy), "
                + "(array_agg(device_id || ' ' || coalesce(reason, '') ORDER BY accuracy, device_id) "
                + "FILTER (WHERE NOT passed))[1] FROM rollout_probe WHERE rollout_id = ? GROUP BY stage_no ORDER BY stage_no")) {
            p.setLong(1, id);
            List<StageSummary> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new StageSummary(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getDouble(5),
                            rs.getDouble(6), rs.getString(7)));
                }
            }
            return out;
        }
    }

    /** A device's probe scores, newest rollout first (at most {@code limit}). */
    public static List<DeviceProbe> ofDevice(Connection c, String device, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT p.rollout_id, r.model_id || ' ' || r.version, p.stage_no, "
                + "p.sent, p.answered, p.correct, p.accuracy, p.passed, coalesce(p.reason, ''), p.measured_at::text "
                + "FROM rollout_probe p JOIN rollout r ON r.id = p.rollout_id WHERE p.device_id = ? "
                + "ORDER BY p.rollout_id DESC LIMIT ?")) {
            p.setString(1, device);
            p.setInt(2, limit);
            List<DeviceProbe> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeviceProbe(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                            rs.getInt(6), rs.getDouble(7), rs.getBoolean(8), rs.getString(9), rs.getString(10)));
                }
            }
            return out;
        }
    }
}

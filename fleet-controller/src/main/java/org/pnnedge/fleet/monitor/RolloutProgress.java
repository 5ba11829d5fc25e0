package org.pnnedge.fleet.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest staged rollouts as the page shows them, read from the rollout tables (migration V10; written by
 * {@code org.pnnedge.fleet.rollout}): the rollout's state and, per stage, its state and how many of its devices
 * switched, failed (rejected, rolled back, timed out, bricked) or have no verdict yet.
 *
 * @param id      rollout id
 * @param fleet   the fleet
 * @param target  model and version being rolled out
 * @param state   RUNNING, PAUSED, HALTED, ABORTED or COMPLETED
 * @param halt    why it halted ("" otherwise)
 * @param stages  its stages in order
 */
public record RolloutProgress(long id, String fleet, String target, String state, String halt, List<Stage> stages) {
    /** How many rollouts the page shows, newest first. */
    static final int MAX_ROLLOUTS = 10;

    /** One stage: its number, spec ("5%"), size and state, and its devices' verdicts so far. */
    public record Stage(int no, String spec, int size, String state, int switched, int failed, int waiting) {
    }

    private static final String SQL = """
            SELECT r.id, r.fleet, r.model_id || ' ' || r.version, r.state, coalesce(r.halt_reason, ''),
                   s.stage_no, s.spec, s.size, s.state,
                   count(d.device_id) FILTER (WHERE d.state = 'SWITCHED'),
                   count(d.device_id) FILTER (WHERE d.state IN ('REJECTED','ROLLED_BACK','TIMEOUT','BRICKED')),
                   count(d.device_id) FILTER (WHERE d.state IN ('PENDING','SENT'))
            FROM (SELECT * FROM rollout ORDER BY id DESC LIMIT ?) r
            JOIN rollout_stage s ON s.rollout_id = r.id
            LEFT JOIN rollout_device d ON d.rollout_id = r.id AND d.stage_no = s.stage_no
            GROUP BY r.id, r.fleet, r.model_id, r.version, r.state, r.halt_reason, s.stage_no, s.spec, s.size, s.state
            ORDER BY r.id DESC, s.stage_no""";

    /** The newest rollouts, newest first; empty when none was ever started. */
    public static List<RolloutProgress> read(Connection c) throws SQLException {
        Map<Long, RolloutProgress> out = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement(SQL)) {
            q.setInt(1, MAX_ROLLOUTS);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    RolloutProgress r = out.computeIfAbsent(id, k -> row(rs));
                    r.stages().add(new Stage(rs.getInt(6), rs.getString(7), rs.getInt(8), rs.getString(9),
                            rs.getInt(10), rs.getInt(11), rs.getInt(12)));
                }
            }
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
        return List.copyOf(out.values());
    }

    private static RolloutProgress row(ResultSet rs) {
        try {
            return new RolloutProgress(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), new ArrayList<>());
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

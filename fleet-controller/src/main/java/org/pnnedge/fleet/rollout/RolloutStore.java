package org.pnnedge.fleet.rollout;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The rollout tables (migration V10) over one JDBC connection, which also holds the rollout's advisory lock
 * ({@link #tryLock}): a controller keeps its store open for the whole run, so the lock goes when it stops or dies.
 * Autocommit; {@link #create} is one transaction.
 */
public final class RolloutStore implements AutoCloseable {
    /** First key of the two-key advisory lock: rollouts (the second key is the rollout id). */
    static final int LOCK_CLASS = 0x706e6e10;
    private final Connection c;

    public RolloutStore(Connection c) {
        this.c = c;
    }

    /** The store's connection, for the soak's probe tables ({@link SoakProbes}). */
    Connection connection() {
        return c;
    }

    /** Adds the fleet's devices from accounts.json to {@code device} (existing rows kept). */
    public void syncDevices(String fleet, List<String> ids) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO device (device_id, fleet) SELECT unnest(?::text[]), ? ON CONFLICT (device_id) DO NOTHING")) {
            p.setArray(1, c.createArrayOf("text", ids.toArray()));
            p.setString(2, fleet);
            p.executeUpdate();
        }
    }

    /** What {@link #create} stores besides the plan. */
    record NewRollout(String fleet, byte[] bundle, VerifiedBundle verified, byte[] previous, String previousVersion,
                      String stages, double threshold, Duration soak, Duration verdictTimeout, Duration resendAfter,
                      long seed, List<String> canaries, boolean autoRollback) {
    }

    /** Inserts the rollout (state RUNNING, stage 1), its stages and its devices in one transaction; returns the id. */
    long create(NewRollout r, StagePlan plan) throws SQLException {
        c.setAutoCommit(false);
        try {
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO rollout (fleet, update_id, bundle, bundle_sha256, "
                    + "model_id, version, key_id, previous_bundle, previous_version, stages, threshold, soak_ms, "
                    + "verdict_timeout_ms, resend_ms, seed, canaries, auto_rollback, state) VALUES "
                    + "(?, 'pending-' || gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING') RETURNING id")) {
                int i = 1;
                p.setString(i++, r.fleet());
                p.setBytes(i++, r.bundle());
                p.setString(i++, r.verified().sha256());
                p.setString(i++, r.verified().modelId());
                p.setString(i++, r.verified().version());
                p.setString(i++, r.verified().keyId());
                p.setBytes(i++, r.previous());
                p.setString(i++, r.previousVersion());
                p.setString(i++, r.stages());
                p.setDouble(i++, r.threshold());
                p.setLong(i++, r.soak().toMillis());
                p.setLong(i++, r.verdictTimeout().toMillis());
                p.setLong(i++, r.resendAfter().toMillis());
                p.setLong(i++, r.seed());
                p.setArray(i++, c.createArrayOf("text", r.canaries().toArray()));
                p.setBoolean(i, r.autoRollback());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            update("UPDATE rollout SET update_id = ? WHERE id = ?", "rollout-" + id + "-" + r.verified().version(), id);
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO rollout_stage (rollout_id, stage_no, spec, size) VALUES (?, ?, ?, ?)")) {
                for (int k = 1; k <= plan.stages(); k++) {
                    p.setLong(1, id);
                    p.setInt(2, k);
                    p.setString(3, plan.specs().get(k - 1));
                    p.setInt(4, plan.devicesOf(k).size());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO rollout_device (rollout_id, device_id, stage_no, position) VALUES (?, ?, ?, ?)")) {
                for (int pos = 0; pos < plan.order().size(); pos++) {
                    p.setLong(1, id);
                    p.setString(2, plan.order().get(pos));
                    p.setInt(3, plan.stageOf(pos));
                    p.setInt(4, pos);
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
            return id;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Takes the rollout's advisory lock for this connection's life; false when another session holds it. */
    public boolean tryLock(long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            p.setInt(1, LOCK_CLASS);
            p.setInt(2, (int) id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public Optional<Rollout> find(long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM rollout WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Stores what the soaks of rollout {@code id} judge (migration V11). */
    void soakLimits(long id, SoakCheck.Limits l) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE rollout SET soak_max_drift = ?, soak_max_error_rate = ?, "
                + "soak_min_accuracy = ? WHERE id = ?")) {
            p.setObject(1, l.maxDrift(), java.sql.Types.DOUBLE);
            p.setObject(2, l.maxErrorRate(), java.sql.Types.DOUBLE);
            p.setObject(3, l.minAccuracy(), java.sql.Types.DOUBLE);
            p.setLong(4, id);
            p.executeUpdate();
        }
    }

    /** Stores how rollout {@code id} re-sends (migrations V13, V14; its first interval is {@code resend_ms}). */
    void resendPolicy(long id, ResendPolicy r) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE rollout SET resend_max_ms = ?, max_resends = ?, "
                + "send_rate = ?, max_in_flight = ? WHERE id = ?")) {
            p.setLong(1, r.max().toMillis());
            p.setInt(2, r.maxResends());
            p.setInt(3, r.sendsPerSecond());
            p.setInt(4, r.maxInFlight());
            p.setLong(5, id);
            p.executeUpdate();
        }
    }

    /** How rollout {@code id} re-sends, {@code first} being its {@code resend_ms}. */
    ResendPolicy resendPolicy(long id, Duration first) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT resend_max_ms, max_resends, send_rate, max_in_flight FROM rollout "
                + "WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return ResendPolicy.after(first);
                }
                return new ResendPolicy(first, Duration.ofMillis(rs.getLong(1)), rs.getInt(2), rs.getInt(3), rs.getInt(4));
            }
        }
    }

    /** What the soaks of rollout {@code id} judge; {@link SoakCheck.Limits#none()} for a rollout without limits. */
    SoakCheck.Limits soakLimits(long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT soak_max_drift, soak_max_error_rate, soak_min_accuracy "
                + "FROM rollout WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return SoakCheck.Limits.none();
                }
                return new SoakCheck.Limits(rs.getObject(1, Double.class), rs.getObject(2, Double.class),
                        rs.getObject(3, Double.class));
            }
        }
    }

    /** Judges the soak of {@code devices} between {@code from} and {@code to} on the stored telemetry. */
    SoakCheck.Result judgeSoak(List<String> devices, Instant from, Instant to, SoakCheck.Limits l) throws SQLException {
        return SoakCheck.judge(c, devices, from, to, l);
    }

    /** The newest rollout, if any. */
    public Optional<Long> latest() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT max(id) FROM rollout"); ResultSet rs = p.executeQuery()) {
            rs.next();
            long id = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(id);
        }
    }

    byte[] bundle(long id, boolean previous) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + (previous ? "previous_bundle" : "bundle") + " FROM rollout WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    /** One device of a rollout. */
    record DeviceRow(String id, int stage, String state, int sends, Instant firstSent, Instant lastSent,
                     String rollbackState) {
    }

    List<DeviceRow> devices(long id, int stage) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT device_id, stage_no, state, sends, first_sent_at, "
                + "last_sent_at, rollback_state FROM rollout_device WHERE rollout_id = ? AND stage_no = ? ORDER BY position")) {
            p.setLong(1, id);
            p.setInt(2, stage);
            List<DeviceRow> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeviceRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4),
                            instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7)));
                }
            }
            return out;
        }
    }

    /** Records a send: PENDING → SENT; a re-send keeps the first time (the verdict timeout counts from it). */
    void markSent(long id, List<String> devices) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE rollout_device SET state = CASE WHEN state = 'PENDING' "
                + "THEN 'SENT' ELSE state END, sends = sends + 1, first_sent_at = coalesce(first_sent_at, now()), "
                + "last_sent_at = now() WHERE rollout_id = ? AND device_id = ANY (?::text[])")) {
            p.setLong(1, id);
            p.setArray(2, c.createArrayOf("text", devices.toArray()));
            p.executeUpdate();
        }
    }

    /** Records a final verdict of a device that is waiting for one; false when it was not waiting (late, duplicate). */
    boolean verdict(long id, String device, String state, String reason, String activeVersion) throws SQLException {
        return update("UPDATE rollout_device SET state = ?, reason = ?, active_version = ?, verdict_at = now() "
                + "WHERE rollout_id = ? AND device_id = ? AND state = 'SENT'", state, reason, activeVersion, id, device) == 1;
    }

    /** Rollback bookkeeping of a device (SENT, ROLLED_BACK, FAILED, TIMEOUT). */
    void rollback(long id, String device, String state, String reason) throws SQLException {
        update("UPDATE rollout_device SET rollback_state = ?, rollback_reason = ? WHERE rollout_id = ? AND device_id = ?",
                state, reason, id, device);
    }

    void state(long id, String state, String haltReason) throws SQLException {
        update("UPDATE rollout SET state = ?, halt_reason = coalesce(?, halt_reason), requested = NULL, updated_at = now(), "
                + "finished_at = CASE WHEN ? IN ('HALTED','ABORTED','COMPLETED') THEN now() END WHERE id = ?",
                state, haltReason, state, id);
    }

    void running(long id, int stage, String controller) throws SQLException {
        update("UPDATE rollout SET state = 'RUNNING', current_stage = ?, controller = ?, updated_at = now() WHERE id = ?",
                stage, controller, id);
    }

    void stage(long id, int stage, String state) throws SQLException {
        String col = switch (state) {
            case "SENDING" -> ", started_at = coalesce(started_at, now())";
            case "SOAKING" -> ", verdicts_at = now()";
            case "PASSED", "HALTED", "ABORTED" -> ", finished_at = now()";
            default -> "";
        };
        update("UPDATE rollout_stage SET state = ?" + col + " WHERE rollout_id = ? AND stage_no = ?", state, id, stage);
    }

    /** Asks the running controller to pause or abort; returns the rollout's state at that moment. */
    void request(long id, String what) throws SQLException {
        update("UPDATE rollout SET requested = ?, updated_at = now() WHERE id = ?", what, id);
    }

    Optional<String> requested(long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT requested FROM rollout WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    void foreignVerdict(long id) throws SQLException {
        update("UPDATE rollout SET foreign_verdicts = foreign_verdicts + 1 WHERE id = ?", id);
    }

    /** Verdict counts per stage. */
    public List<Rollout.StageCounts> counts(long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT s.stage_no, s.spec, s.state, s.size, "
                + "count(*) FILTER (WHERE d.state = 'PENDING'), count(*) FILTER (WHERE d.state = 'SENT'), "
                + "count(*) FILTER (WHERE d.state = 'SWITCHED'), count(*) FILTER (WHERE d.state = 'REJECTED'), "
                + "count(*) FILTER (WHERE d.state = 'ROLLED_BACK'), count(*) FILTER (WHERE d.state = 'TIMEOUT'), "
                + "count(*) FILTER (WHERE d.state = 'BRICKED'), count(*) FILTER (WHERE d.rollback_state = 'ROLLED_BACK'), "
                + "s.started_at, s.verdicts_at, s.finished_at FROM rollout_stage s LEFT JOIN rollout_device d "
                + "ON d.rollout_id = s.rollout_id AND d.stage_no = s.stage_no WHERE s.rollout_id = ? "
                + "GROUP BY s.stage_no, s.spec, s.state, s.size, s.started_at, s.verdicts_at, s.finished_at ORDER BY s.stage_no")) {
            p.setLong(1, id);
            List<Rollout.StageCounts> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Rollout.StageCounts(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
                            rs.getInt(11), rs.getInt(12), instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)),
                            instant(rs.getTimestamp(15))));
                }
            }
            return out;
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    p.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    p.setObject(i + 1, args[i]);
                }
            }
            return p.executeUpdate();
        }
    }

    private static Rollout row(ResultSet rs) throws SQLException {
        Array can = rs.getArray("canaries");
        return new Rollout(rs.getLong("id"), rs.getString("fleet"), rs.getString("update_id"),
                rs.getString("bundle_sha256"), rs.getString("model_id"), rs.getString("version"), rs.getString("key_id"),
                rs.getString("previous_version"), rs.getString("stages"), rs.getDouble("threshold"),
                Duration.ofMillis(rs.getLong("soak_ms")), Duration.ofMillis(rs.getLong("verdict_timeout_ms")),
                Duration.ofMillis(rs.getLong("resend_ms")), rs.getLong("seed"),
                can == null ? List.of() : Arrays.asList((String[]) can.getArray()), rs.getBoolean("auto_rollback"),
                rs.getString("state"), rs.getString("requested"), rs.getInt("current_stage"), rs.getString("halt_reason"),
                rs.getLong("foreign_verdicts"), rs.getString("controller"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}

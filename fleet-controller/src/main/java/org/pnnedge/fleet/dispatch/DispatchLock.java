package org.pnnedge.fleet.dispatch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.zip.CRC32;

import org.pnnedge.fleet.db.DbException;
import org.pnnedge.fleet.db.FleetDatabase;

/**
 * "Which dispatcher of a fleet is active": a session-level PostgreSQL advisory lock
 * ({@code pg_try_advisory_lock(0x706e6e11, crc32(fleet))}) held on this object's connection. The server frees it when
 * the connection goes — the holder closed, was killed or lost the network — and a standby's next try takes it.
 * The holder checks its connection every poll: a holder that cannot reach the database any more must assume the
 * lock is gone and stop dispatching.
 */
final class DispatchLock implements AutoCloseable {
    /** First key of the two-key advisory lock: fleet dispatchers (rollouts use 0x706e6e10). */
    static final int KEY = 0x706e6e11;
    private final FleetDatabase db;
    private final int fleetKey;
    private final String holderName;
    private Connection c;
    private boolean held;

    DispatchLock(FleetDatabase db, String fleet, String holderName) {
        this.db = db;
        CRC32 crc = new CRC32();
        crc.update(fleet.getBytes(StandardCharsets.UTF_8));
        this.fleetKey = (int) crc.getValue();
        this.holderName = holderName;
    }

    /**
     * True when this dispatcher holds the lock after the call: checks a held lock's connection, else tries to take
     * it (on a new connection when needed). Database errors count as "not held".
     */
    boolean check() {
        try {
            if (held) {
                if (c.isValid(2)) {
                    return true;
                }
                drop();
            }
            if (c == null || !c.isValid(2)) {
                drop();
                c = db.connect();
                try (PreparedStatement p = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    p.setString(1, holderName); // pg_stat_activity shows who dispatches
                    p.execute();
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                p.setInt(1, KEY);
                p.setInt(2, fleetKey);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    held = rs.getBoolean(1);
                }
            }
            return held;
        } catch (SQLException | DbException e) {
            drop();
            return false;
        }
    }

    /** Who holds the lock, from pg_stat_activity (for messages); empty when unknown. */
    String holder() {
        try (Connection q = db.connect(); PreparedStatement p = q.prepareStatement(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                        + "WHERE l.locktype = 'advisory' AND l.classid = ? AND l.objid = ? AND l.granted")) {
            p.setInt(1, KEY);
            p.setInt(2, fleetKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        } catch (SQLException | DbException e) {
            return "";
        }
    }

    private void drop() {
        held = false;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // gone already
            }
            c = null;
        }
    }

    @Override
    public void close() {
        drop();
    }
}

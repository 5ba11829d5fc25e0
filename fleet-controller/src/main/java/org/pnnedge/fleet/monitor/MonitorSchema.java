package org.pnnedge.fleet.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The day partitions of the monitoring tables ({@code V20__monitoring.sql}): {@code <table>_pYYYYMMDD} holds
 * {@code [day 00:00 UTC, next day 00:00 UTC)}. Workers create them ahead and drop those past the retention; both
 * run under a transaction-level advisory lock, so two workers never race on the catalogue.
 */
public final class MonitorSchema {
    /** The partitioned tables. */
    public static final List<String> TABLES = List.of("telemetry", "ota_event", "recal_report", "status_event");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** Advisory-lock key of partition maintenance ("pnnpart"). */
    private static final long LOCK = 0x706e6e70617274L;

    private MonitorSchema() {
    }

    public static String partition(String table, LocalDate day) {
        return table + "_p" + day.format(SUFFIX);
    }

    /** Creates the partitions of {@code days} (UTC) that do not exist yet, in the caller's transaction. */
    public static void ensureDays(Connection c, Iterable<LocalDate> days) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            for (LocalDate d : days) {
                for (String t : TABLES) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + partition(t, d) + " PARTITION OF " + t
                            + " FOR VALUES FROM ('" + d + " 00:00:00+00') TO ('" + d.plusDays(1) + " 00:00:00+00')");
                }
            }
        }
    }

    /** Drops the partitions of days before {@code firstKept}; returns their names. Commits. */
    public static List<String> dropBefore(Connection c, LocalDate firstKept) throws SQLException {
        List<String> dropped = new ArrayList<>();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            for (String name : partitions(c)) {
                LocalDate day = LocalDate.parse(name.substring(name.lastIndexOf("_p") + 2), SUFFIX);
                if (day.isBefore(firstKept)) {
                    s.execute("DROP TABLE " + name);
                    dropped.add(name);
                }
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return dropped;
    }

    /** Every existing day partition of the monitoring tables, sorted by name. */
    public static List<String> partitions(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT child.relname FROM pg_inherits i "
                + "JOIN pg_class parent ON parent.oid = i.inhparent JOIN pg_class child ON child.oid = i.inhrelid "
                + "WHERE parent.relname = ANY (?) AND child.relname ~ '_p[0-9]{8}$' ORDER BY 1")) {
            q.setArray(1, c.createArrayOf("text", TABLES.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}

package org.pnnedge.fleet.monitor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The hook to the staged rollouts (package {@code org.pnnedge.fleet.rollout}, migrations V10..V19, built apart):
 * monitoring does not depend on their schema. It shows whatever base tables named {@code rollout…} exist in the
 * public schema (found through {@code information_schema}), each as a generic table of its newest rows; none is
 * "no rollouts".
 *
 * @param name    table name
 * @param columns its column names
 * @param rows    up to {@link #MAX_ROWS} rows as text
 */
public record Rollouts(String name, List<String> columns, List<List<String>> rows) {
    static final int MAX_ROWS = 20;

    public static List<Rollouts> read(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name FROM "
                + "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                + "AND table_name LIKE 'rollout%' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        List<Rollouts> out = new ArrayList<>();
        for (String t : tables) {
            if (!t.matches("[a-z0-9_]+")) {
                continue;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + t
                    + " ORDER BY 1 DESC LIMIT " + MAX_ROWS)) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    cols.add(md.getColumnName(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> r = new ArrayList<>();
                    for (int i = 1; i <= cols.size(); i++) {
                        Object v = rs.getObject(i);
                        r.add(v == null ? "" : v instanceof byte[] b ? "(" + b.length + " bytes)" : v.toString());
                    }
                    rows.add(r);
                }
                out.add(new Rollouts(t, cols, rows));
            }
        }
        return out;
    }
}

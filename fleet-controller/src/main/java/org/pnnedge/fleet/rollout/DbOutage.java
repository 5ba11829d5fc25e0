package org.pnnedge.fleet.rollout;

import java.net.ConnectException;
import java.sql.SQLException;

import org.pnnedge.fleet.db.DbException;

/**
 * Tells a lost or unreachable fleet database (worth reconnecting to) from other failures: a connection error
 * (SQLSTATE class 08), the server shutting down or starting (57P01..57P03), a refused connect.
 */
final class DbOutage {
    private DbOutage() {
    }

    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof DbException || t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message, short. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 160 ? m.substring(0, 160) + "…" : m;
    }
}

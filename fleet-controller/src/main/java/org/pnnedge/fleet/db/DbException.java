package org.pnnedge.fleet.db;

/** The fleet database could not be set up, started, stopped or reached; the message names the cause and the fix. */
public final class DbException extends Exception {
    private static final long serialVersionUID = 1L;

    public DbException(String message) {
        super(message);
    }

    public DbException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.pnnedge.fleet;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.pnnedge.fleet.db.DbLayout;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.db.PgBinaries;

/**
 * A private PostgreSQL for one test class, on this machine's server binaries: its own enterable directory under /tmp
 * ({@link TestDirs#enterable}) and a free loopback port. {@link #close} stops it and deletes the directory; call it
 * from {@code @AfterAll} whenever the field is set.
 */
public final class TestDatabase implements AutoCloseable {
    private static final Duration T = Duration.ofSeconds(90);

    private final Path dir;
    private final FleetDatabase db;

    private TestDatabase(Path dir, FleetDatabase db) {
        this.dir = dir;
        this.db = db;
    }

    /**
     * Skips the calling test class (naming what is missing) without PostgreSQL; otherwise creates, starts and migrates
     * a database in a new directory {@code /tmp/<dirPrefix>...}.
     */
    public static TestDatabase start(String dirPrefix) throws Exception {
        Assumptions.assumeTrue(PgBinaries.find().isPresent(), "skipped: " + PgBinaries.missing());
        Path dir = TestDirs.enterable(dirPrefix);
        FleetDatabase db = null;
        try {
            db = FleetDatabase.of(DbLayout.under(dir, TestDirs.freePort()));
            db.up(T);
            return new TestDatabase(dir, db);
        } catch (Exception | Error e) {
            new TestDatabase(dir, db).close();
            throw e;
        }
    }

    /** The test's directory (the database's files are in it). */
    public Path dir() {
        return dir;
    }

    /** The running database. */
    public FleetDatabase db() {
        return db;
    }

    /** Stops the database (bounded wait) and deletes the directory. */
    @Override
    public void close() throws Exception {
        try {
            if (db != null) {
                db.down(T);
            }
        } finally {
            TestDirs.delete(dir);
        }
    }
}

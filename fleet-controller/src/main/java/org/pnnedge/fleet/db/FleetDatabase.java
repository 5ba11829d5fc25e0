package org.pnnedge.fleet.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.flywaydb.core.Flyway;
import org.pnnedge.runtime.fleet.SystemUser;
import org.tinylog.Logger;

/**
 * A private PostgreSQL cluster for the fleet controller ({@link DbLayout}): {@link #up} creates it on first use
 * (initdb, SCRAM passwords, the {@code pnn_fleet} role and database), starts it on 127.0.0.1 only and applies the
 * schema migrations; {@link #down} stops it. When we are root the server runs as the {@code postgres} system user
 * (PostgreSQL refuses to run as root), so the directory must be enterable by that user.
 */
public final class FleetDatabase {
    private static final int LOG_TAIL_LINES = 12;
    private final DbLayout layout;
    private final PgBinaries bin;
    private final Optional<String> runAs;

    private FleetDatabase(DbLayout layout, PgBinaries bin, Optional<String> runAs) {
        this.layout = layout;
        this.bin = bin;
        this.runAs = runAs;
    }

    /** The database of {@code layout} on this machine's PostgreSQL. */
    public static FleetDatabase of(DbLayout layout) throws DbException {
        PgBinaries bin = PgBinaries.find().orElseThrow(() -> new DbException(PgBinaries.missing()));
        return new FleetDatabase(layout, bin, SystemUser.whenRoot("postgres"));
    }

    public DbLayout layout() {
        return layout;
    }

    /** What {@link #status()} reports. */
    public record Status(boolean initialised, boolean running, int port, String problem) {
    }

    /** Creates (first time), starts and migrates the database; a running one is only migrated. */
    public void up(Duration timeout) throws DbException {
        if (!Files.isRegularFile(layout.dataDir().resolve("PG_VERSION"))) {
            init(timeout);
        }
        if (!status().running()) {
            Pg.Result r = run(timeout, bin.tool("pg_ctl").toString(), "-D", layout.dataDir().toString(),
                    "-l", layout.logFile().toString(), "-w", "-t", Long.toString(Math.max(1, timeout.toSeconds())),
                    "-o", "-p " + layout.port() + " -c listen_addresses=127.0.0.1 -k " + layout.socketDir(), "start");
            if (r.exit() != 0) {
                throw new DbException("PostgreSQL did not start on 127.0.0.1:" + layout.port() + " (pg_ctl exit "
                        + r.exit() + "): " + r.output().strip() + "\nlast lines of " + layout.logFile() + ":\n"
                        + Pg.tail(layout.logFile(), LOG_TAIL_LINES));
            }
        }
        createDatabase();
        migrate();
    }

    /** Stops the server (fast shutdown: open sessions are ended, committed data kept). */
    public void down(Duration timeout) throws DbException {
        if (!status().running()) {
            return;
        }
        Pg.Result r = run(timeout, bin.tool("pg_ctl").toString(), "-D", layout.dataDir().toString(), "-m", "fast",
                "-w", "-t", Long.toString(Math.max(1, timeout.toSeconds())), "stop");
        if (r.exit() != 0) {
            throw new DbException("PostgreSQL did not stop (pg_ctl exit " + r.exit() + "): " + r.output().strip());
        }
    }

    /** Whether the cluster exists and its server runs (pg_ctl status: 0 running, 3 not running). */
    public Status status() throws DbException {
        if (!Files.isRegularFile(layout.dataDir().resolve("PG_VERSION"))) {
            return new Status(false, false, layout.port(), "not created yet (pnn fleet db up)");
        }
        Pg.Result r = run(Duration.ofSeconds(20), bin.tool("pg_ctl").toString(), "-D", layout.dataDir().toString(),
                "status");
        boolean running = r.exit() == 0;
        return new Status(true, running, layout.port(), running ? "" : r.output().strip());
    }

    /** A new connection as {@code pnn_fleet} to its database; the caller closes it. */
    public Connection connect() throws SQLException, DbException {
        Properties p = new Properties();
        p.setProperty("user", DbLayout.ROLE);
        p.setProperty("password", password());
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        p.setProperty("ApplicationName", "pnn-fleet");
        return DriverManager.getConnection(layout.jdbcUrl(), p);
    }

    private void init(Duration timeout) throws DbException {
        try {
            Path parent = layout.dir().getParent();
            if (parent != null && !Files.exists(parent)) {
                // a state directory we create ourselves is enterable by the server user (like the cluster's: 0711)
                Files.createDirectories(parent);
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Files.createDirectories(layout.dir(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.createDirectories(layout.socketDir(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Pg.writePrivate(layout.passwordFile(), password);
            Path pwfile = layout.dir().resolve(".initdb-password");
            Pg.writePrivate(pwfile, password);
            Pg.chown(runAs, layout.dir(), layout.socketDir(), pwfile);
            try {
                Pg.Result r = run(timeout, bin.tool("initdb").toString(), "-D", layout.dataDir().toString(),
                        "-U", DbLayout.ROLE, "--pwfile=" + pwfile, "--auth-local=scram-sha-256",
                        "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C");
                if (r.exit() != 0) {
                    throw new DbException("initdb failed for " + layout.dataDir() + " (exit " + r.exit() + "): "
                            + r.output().strip());
                }
            } finally {
                Files.deleteIfExists(pwfile);
            }
            Logger.info("fleet db: created {}", layout.dataDir());
        } catch (IOException e) {
            throw new DbException("cannot create the fleet database under " + layout.dir() + ": " + e.getMessage(), e);
        }
    }

    private void createDatabase() throws DbException {
        Properties p = new Properties();
        p.setProperty("user", DbLayout.ROLE);
        p.setProperty("password", password());
        p.setProperty("connectTimeout", "10");
        String admin = "jdbc:postgresql://127.0.0.1:" + layout.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, p);
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, DbLayout.ROLE);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (var s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + DbLayout.ROLE + " OWNER " + DbLayout.ROLE);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DbException("cannot reach the fleet database on 127.0.0.1:" + layout.port() + " as "
                    + DbLayout.ROLE + ": " + e.getMessage() + " (is another server on that port? see "
                    + layout.logFile() + ")", e);
        }
    }

    /** Applies the pending migrations from {@code db/migration} on the class path. */
    public void migrate() throws DbException {
        try {
            Flyway.configure().dataSource(layout.jdbcUrl(), DbLayout.ROLE, password())
                    .locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw new DbException("migrating the fleet database failed: " + e.getMessage(), e);
        }
    }

    private String password() throws DbException {
        try {
            return Files.readString(layout.passwordFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new DbException("cannot read the database password " + layout.passwordFile() + " ("
                    + e.getMessage() + "): run `pnn fleet db up` as the user who created it", e);
        }
    }

    private Pg.Result run(Duration timeout, String... command) throws DbException {
        List<String> cmd = new ArrayList<>(SystemUser.prefix(runAs));
        cmd.addAll(List.of(command));
        return Pg.run(cmd, layout.dir(), timeout);
    }
}

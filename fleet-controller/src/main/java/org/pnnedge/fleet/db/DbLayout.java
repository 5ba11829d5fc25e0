package org.pnnedge.fleet.db;

import java.nio.file.Path;

/**
 * Where the fleet database lives: {@code <dir>/data} (the PostgreSQL cluster), {@code <dir>/socket} (its Unix
 * socket, kept private), {@code <dir>/postgres.log}, and {@code <dir>/password} (0600: the {@code pnn_fleet} role's
 * password, generated at the first {@code up}).
 *
 * @param dir  the database's directory (by default {@code <fleet state dir>/postgres})
 * @param port the loopback TCP port the server listens on
 */
public record DbLayout(Path dir, int port) {
    /** Default port: beside the cluster's MQTT ports 1891..1893, away from a system PostgreSQL on 5432. */
    public static final int DEFAULT_PORT = 5491;
    /** The role and database the controller uses. */
    public static final String ROLE = "pnn_fleet";

    public DbLayout {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("database port must be 1..65535, got " + port);
        }
        dir = dir.toAbsolutePath().normalize();
    }

    /** The database of a fleet state directory (the one `pnn fleet cluster` uses). */
    public static DbLayout under(Path fleetStateDir, int port) {
        return new DbLayout(fleetStateDir.resolve("postgres"), port);
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path socketDir() {
        return dir.resolve("socket");
    }

    public Path logFile() {
        return dir.resolve("postgres.log");
    }

    public Path passwordFile() {
        return dir.resolve("password");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + ROLE;
    }
}

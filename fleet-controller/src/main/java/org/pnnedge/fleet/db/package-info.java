/**
 * The fleet database: a private PostgreSQL cluster from the distribution's binaries (Debian {@code postgresql}),
 * on loopback with password (SCRAM) authentication, started and stopped by {@code pnn fleet db up|down}, its schema
 * kept by versioned Flyway migrations ({@code db/migration} on the class path). Everything that remembers fleet state
 * — rollouts, device verdicts, telemetry — reaches it through {@link org.pnnedge.fleet.db.FleetDatabase#connect()}.
 *
 * <p>Migration numbering: {@code V1..V9} the base (devices), {@code V10..V19} rollouts, {@code V20..V29} monitoring,
 * so work on one never renumbers the other.
 *
 * <p>Imports: the JDK, the PostgreSQL JDBC driver, Flyway, tinylog, and {@code org.pnnedge.runtime.fleet.SystemUser}
 * (the server runs as the {@code postgres} user when we are root).
 */
package org.pnnedge.fleet.db;

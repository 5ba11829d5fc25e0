package org.pnnedge.fleet.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import org.pnnedge.fleet.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The private PostgreSQL on this machine's real server binaries: created, migrated, stopped, started, data kept. */
class FleetDatabaseTest {
    private static TestDatabase pg;
    private static Path state;
    private static FleetDatabase db;
    private static final Duration T = Duration.ofSeconds(90);

    @BeforeAll
    static void up() throws Exception {
        pg = TestDatabase.start("pnn-fleet-db-test-");
        state = pg.dir();
        db = pg.db();
    }

    @AfterAll
    static void down() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }


    @Test
    void theSchemaIsMigratedAndDataSurvivesARestart() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO device (device_id, fleet) VALUES ('pi-1', 'lab') ON CONFLICT DO NOTHING");
        }
        db.down(T);
        assertFalse(db.status().running(), "stopped: " + db.status());
        db.up(T);
        assertTrue(db.status().running(), "started again: " + db.status());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT fleet FROM device WHERE device_id = 'pi-1'")) {
            assertTrue(rs.next(), "the row written before the restart");
            assertEquals("lab", rs.getString(1));
        }
    }

    @Test
    void secretsAndTheClusterArePrivate() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db.layout().passwordFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db.layout().dir())));
    }

    @Test
    void aDeviceIdThatCannotBeATopicSegmentIsRefused() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThrows(java.sql.SQLException.class,
                    () -> s.executeUpdate("INSERT INTO device (device_id, fleet) VALUES ('a/#', 'lab')"));
        }
    }

    @Test
    void aSecondDatabaseOnAPortInUseSaysWhy() throws Exception {
        Path other = Files.createTempDirectory(state, "other-");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rwx--x--x"));
        FleetDatabase clash = FleetDatabase.of(DbLayout.under(other, db.layout().port()));
        DbException e = assertThrows(DbException.class, () -> clash.up(T));
        assertTrue(e.getMessage().contains("did not start on 127.0.0.1:" + db.layout().port()), e.getMessage());
    }
}

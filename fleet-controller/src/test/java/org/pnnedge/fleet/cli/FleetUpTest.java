package org.pnnedge.fleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.TestDirs;
import org.pnnedge.fleet.db.DbLayout;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.db.PgBinaries;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.ClusterStatus;
import org.pnnedge.runtime.fleet.FleetCluster;
import picocli.CommandLine;

/** {@code pnn fleet up} brings up the cluster and the database in one state directory; {@code down} stops both. */
class FleetUpTest {
    @Test
    void upStartsClusterAndDatabaseAndDownStopsBoth() throws Exception {
        Assumptions.assumeTrue(FleetCluster.unavailable().isEmpty(), "skipped: " + FleetCluster.unavailable().orElse(""));
        Assumptions.assumeTrue(PgBinaries.find().isPresent(), "skipped: " + PgBinaries.missing());
        Path state = TestDirs.enterable("pnn-fleet-up-test-");
        ClusterLayout layout = ClusterLayout.throwaway(state.resolve("fleet"), "pnnu");
        int dbPort = TestDirs.freePort();
        String[] where = {"--state-dir", layout.stateDir().toString(), "--name", layout.name(),
                "--mqtt-port", "" + layout.mqttBasePort(), "--tls-port", "" + layout.tlsBasePort(),
                "--db-port", "" + dbPort};
        FleetCluster cluster = FleetCluster.of(layout);
        FleetDatabase db = FleetDatabase.of(DbLayout.under(layout.stateDir(), dbPort));
        try {
            Run up = run("up", where);
            assertEquals(0, up.exit(), up.toString());
            ClusterStatus s = cluster.status();
            assertTrue(s.allUp(), FleetCluster.describeDown(s) + "\n" + up);
            assertTrue(db.status().running(), db.status() + "\n" + up);
            assertTrue(up.out().contains("database   up on 127.0.0.1:" + dbPort), up.toString());

            Run down = run("down", where);
            assertEquals(0, down.exit(), down.toString());
            assertFalse(db.status().running(), db.status() + "\n" + down);
            assertTrue(cluster.status().nodes().stream().noneMatch(ClusterStatus.Node::up), down.toString());
        } finally {
            db.down(Duration.ofSeconds(60));
            cluster.down(Duration.ofSeconds(30));
            TestDirs.delete(state);
        }
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String command, String... where) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FleetMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = new String[where.length + 1];
        args[0] = command;
        System.arraycopy(where, 0, args, 1, where.length);
        return new Run(cl.execute(args), out.toString(), err.toString());
    }
}

package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.runtime.fleet.FleetCluster;

/** {@code pnn fleet}: bad input and failures named, with exit codes 2 and 1; nothing is started when ports are taken. */
class FleetCliTest {
    @TempDir
    Path tmp;

    @Test
    void accountsNeedAValidNameAndEitherAFleetOrOperator() throws Exception {
        String dir = tmp.resolve("fleet").toString();
        CliTest.Result none = CliTest.run("fleet", "account", "add", "pi-7", "--state-dir", dir);
        assertEquals(2, none.exit(), none.err());
        assertTrue(none.err().contains("--fleet F") && none.err().contains("--operator"), none.err());
        CliTest.Result upper = CliTest.run("fleet", "account", "add", "Pi-7", "--fleet", "lab", "--state-dir", dir);
        assertEquals(2, upper.exit(), upper.err());
        assertTrue(upper.err().contains("'Pi-7'") && upper.err().contains("lower case"), upper.err());
        CliTest.Result reserved = CliTest.run("fleet", "account", "add", "fleet", "--fleet", "lab", "--state-dir", dir);
        assertEquals(2, reserved.exit(), reserved.err());
        assertTrue(reserved.err().contains("reserved"), reserved.err());
        CliTest.Result badName = CliTest.run("fleet", "cluster", "status", "--name", "Bad!", "--state-dir", dir);
        assertEquals(2, badName.exit(), badName.err());
        assertTrue(badName.err().contains("cluster name 'Bad!'"), badName.err());
    }

    @Test
    void statusOfAClusterNeverStartedNamesEveryNodeAndExits1() {
        Assumptions.assumeTrue(FleetCluster.unavailable().isEmpty(), "needs ejabberd: " + FleetCluster.unavailable().orElse(""));
        CliTest.Result r = CliTest.run("fleet", "cluster", "status", "--state-dir", tmp.resolve("none").toString(),
                "--name", "pnnnever");
        assertEquals(1, r.exit(), r.out() + r.err());
        for (int i = 1; i <= 3; i++) {
            assertTrue(r.err().contains("node " + i + " (pnnnever" + i + "@localhost, MQTT port " + (1890 + i)
                    + ") is down: not running"), r.err());
        }
    }

    @Test
    void upRefusesABusyPortNamingNodeAndPortAndStartsNothing() throws Exception {
        Assumptions.assumeTrue(FleetCluster.unavailable().isEmpty(), "needs ejabberd: " + FleetCluster.unavailable().orElse(""));
        Path state = Files.createTempDirectory(Path.of("/tmp"), "pnn-fleet-cli-");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx--x--x"));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            CliTest.Result r = CliTest.run("fleet", "cluster", "up", "--state-dir", state.resolve("c").toString(),
                    "--name", "pnnbusy", "--mqtt-port", Integer.toString(port - 1), "--tls-port", Integer.toString(port + 20));
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.err().contains("node 2 (pnnbusy2@localhost) cannot start: port " + port
                    + " on 127.0.0.1 is in use"), r.err());
            assertTrue(Files.notExists(state.resolve("c/nodes/node1/os.pid")), "a node was started");
        } finally {
            try (var all = Files.walk(state)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

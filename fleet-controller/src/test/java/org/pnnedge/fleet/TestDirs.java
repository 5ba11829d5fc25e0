package org.pnnedge.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.pnnedge.runtime.fleet.TestCluster;

/**
 * Scratch directories and ports of the fleet tests, which start real servers (ejabberd, PostgreSQL); the directory
 * helpers are the runtime test-jar's ({@link TestCluster}), shared with the runtime and fleet-sim tests.
 */
public final class TestDirs {
    private TestDirs() {
    }

    /**
     * A new directory under /tmp with mode 0711: when the tests run as root the servers run as their system users
     * (ejabberd, postgres), which must be able to enter it.
     */
    public static Path enterable(String prefix) throws IOException {
        return TestCluster.enterableTempDir(prefix);
    }

    /** Deletes {@code dir} and everything in it; null is a no-op (a setup that failed before creating it). */
    public static void delete(Path dir) throws IOException {
        TestCluster.deleteTree(dir);
    }

    /** A loopback port free when asked (a server started later still names a port taken meanwhile). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

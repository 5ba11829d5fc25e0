package org.pnnedge.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories and ports of the fleet tests, which start real servers (ejabberd, PostgreSQL). */
public final class TestDirs {
    private TestDirs() {
    }

    /**
     * A new directory under /tmp with mode 0711: when the tests run as root the servers run as their system users
     * (ejabberd, postgres), which must be able to enter it.
     */
    public static Path enterable(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return dir;
    }

    /** Deletes {@code dir} and everything in it; null is a no-op (a setup that failed before creating it). */
    public static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A loopback port free when asked (a server started later still names a port taken meanwhile). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

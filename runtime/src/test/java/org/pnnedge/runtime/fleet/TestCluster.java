package org.pnnedge.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway 3-node ejabberd cluster for the tests of runtime, fleet-sim and fleet-controller (shared through the
 * runtime test-jar): its own directory under /tmp, free loopback ports and a unique node name. Add accounts with
 * {@link #cluster()}, then {@link #up}; {@link #close} stops the nodes and deletes the directory (also after a failed
 * set-up, so call it from {@code @AfterAll} whenever the field is set).
 */
public final class TestCluster implements AutoCloseable {
    private static final Duration DOWN = Duration.ofSeconds(30);

    private final Path state;
    private final ClusterLayout layout;
    private final FleetCluster cluster;

    private TestCluster(Path state, ClusterLayout layout, FleetCluster cluster) {
        this.state = state;
        this.layout = layout;
        this.cluster = cluster;
    }

    /** Skips the calling test class with "{@code what} skipped: why" when ejabberd is not installed. */
    public static void assumeAvailable(String what) {
        Assumptions.assumeTrue(FleetCluster.unavailable().isEmpty(),
                what + " skipped: " + FleetCluster.unavailable().orElse(""));
    }

    /**
     * A cluster (not started) in a new directory {@code /tmp/<dirPrefix>...}, whose nodes are named
     * {@code <nodePrefix><random>}; the layout's state directory is its subdirectory {@code cluster}.
     */
    public static TestCluster create(String dirPrefix, String nodePrefix) throws IOException, FleetException {
        Path state = enterableTempDir(dirPrefix);
        try {
            ClusterLayout layout = ClusterLayout.throwaway(state.resolve("cluster"), nodePrefix);
            return new TestCluster(state, layout, FleetCluster.of(layout));
        } catch (FleetException | RuntimeException e) {
            deleteTree(state);
            throw e;
        }
    }

    /** Starts the nodes within {@code timeout} and asserts that all three are up (naming the ones that are not). */
    public FleetCluster.UpReport up(Duration timeout) throws Exception {
        FleetCluster.UpReport r = cluster.up(timeout);
        assertTrue(r.status().allUp(), FleetCluster.describeDown(r.status()));
        return r;
    }

    /** The test's own directory (the cluster's state is its subdirectory {@code cluster}). */
    public Path state() {
        return state;
    }

    /** Ports, node names and files of the cluster. */
    public ClusterLayout layout() {
        return layout;
    }

    /** The cluster itself: accounts, status, nodes. */
    public FleetCluster cluster() {
        return cluster;
    }

    /** Stops the nodes (bounded wait) and deletes the directory. */
    @Override
    public void close() throws Exception {
        try {
            cluster.down(DOWN);
        } finally {
            deleteTree(state);
        }
    }

    /**
     * A new directory under /tmp with mode 0711: when the tests run as root the servers run as their system users
     * (ejabberd, postgres), which must be able to enter it.
     */
    public static Path enterableTempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return dir;
    }

    /** Deletes {@code dir} and everything in it; null is a no-op (a set-up that failed before creating it). */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package org.pnnedge.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.pnnedge.fleet.db.DbLayout;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.db.PgBinaries;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.fleet.FleetCluster;
import org.pnnedge.runtime.fleet.TestCluster;

/**
 * The real parts of a fleet test: a throwaway 3-node cluster with {@code devices} accounts {@code sim-…} of fleet
 * {@code sim}, a private PostgreSQL beside its {@code accounts.json} (where the CLI looks), and a test signing key
 * trusted next to the release key, for bundles of new versions of the shipped {@code vowels7}. Skips the test
 * (JUnit assumption, with the reason) without ejabberd or PostgreSQL; {@link #close} stops and deletes everything,
 * also after a failed start.
 */
public final class TestFleet implements AutoCloseable {
    public final Path state;
    public final ClusterLayout layout;
    public final FleetCluster cluster;
    public final FleetDatabase db;
    public final SigningKey key;
    public final TrustedKeys trusted;
    public final Path shipped;
    public final BundleManifest base;

    private final TestCluster throwaway;

    private TestFleet(TestCluster throwaway, int devices, Duration timeout) throws Exception {
        this.throwaway = throwaway;
        state = throwaway.state();
        layout = throwaway.layout();
        cluster = throwaway.cluster();
        cluster.addAccounts(FleetAccounts.numbered("sim-", devices), FleetAccounts.Role.DEVICE, "sim");
        throwaway.up(timeout);
        db = FleetDatabase.of(DbLayout.under(layout.stateDir(), TestDirs.freePort()));
        db.up(timeout);
        Path root = Checkout.requireRoot();
        shipped = root.resolve("src/dist/models/vowels7.pnnb");
        Path releasePub = root.resolve("src/dist/keys/pnn-release.pub");
        key = KeyFiles.generate(false);
        Path pub = state.resolve("test.pub");
        KeyFiles.writePublic(pub, key.publicKey(), false, false);
        trusted = TrustedKeys.load(releasePub, pub);
        base = Bundles.load(Files.readAllBytes(shipped), TrustedKeys.load(releasePub)).manifest();
    }

    /** Starts it (Erlang node names {@code <name>…}); the test is skipped when a part is not installed. */
    public static TestFleet up(String name, int devices, Duration timeout) throws Exception {
        TestCluster.assumeAvailable(name);
        Assumptions.assumeTrue(PgBinaries.find().isPresent(), "skipped: " + PgBinaries.missing());
        TestCluster throwaway = TestCluster.create("pnn-" + name + "-test-", name);
        try {
            return new TestFleet(throwaway, devices, timeout);
        } catch (Exception | AssertionError e) {
            stop(null, throwaway, timeout);
            throw e;
        }
    }

    /** The three nodes' MQTT addresses. */
    public List<InetSocketAddress> nodes() {
        return Stream.of(1, 2, 3).map(i -> new InetSocketAddress("127.0.0.1", layout.mqttPort(i))).toList();
    }

    /** The shipped bundle's bytes (what the simulated devices start with). */
    public byte[] shippedBytes() throws IOException {
        return Files.readAllBytes(shipped);
    }

    /** The shipped model as {@code version}, signed with the test key, in a new file. */
    public Path bundle(String version) throws Exception {
        Path p = Files.createTempFile(state, "v" + version + "-", ".pnnb");
        Files.write(p, Bundles.sign(base.withVersion(SemVer.parse(version)), key));
        return p;
    }

    @Override
    public void close() throws Exception {
        stop(db, throwaway, Duration.ofSeconds(120));
    }

    /** The database first: closing the cluster deletes the directory the database lives in. */
    private static void stop(FleetDatabase db, TestCluster throwaway, Duration timeout) throws Exception {
        try {
            if (db != null) {
                db.down(timeout);
            }
        } finally {
            throwaway.close();
        }
    }
}

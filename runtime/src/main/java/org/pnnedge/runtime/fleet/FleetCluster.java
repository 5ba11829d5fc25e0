package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.pnnedge.runtime.io.AtomicFiles;
import org.pnnedge.runtime.io.ProcessStop;

/**
 * The operations behind {@code pnn fleet cluster}: {@link #up} starts the nodes (fresh spool each time: the
 * account file, not the broker's database, is the source of truth), joins nodes 2.. to node 1 and registers the
 * accounts; {@link #down} stops them; {@link #status} says per node whether it runs, answers, belongs to the
 * cluster, and if not, why. Every wait has a deadline.
 */
public final class FleetCluster {
    private static final Duration CALL = Duration.ofSeconds(30);
    private final ClusterLayout layout;
    private final Ejabberd ejabberd;
    private final NodeProbe probe;

    private FleetCluster(ClusterLayout layout, Ejabberd ejabberd) {
        this.layout = layout;
        this.ejabberd = ejabberd;
        this.probe = new NodeProbe(layout, ejabberd);
    }

    /** Per node: running, answering, cluster membership, clients, memory, open-file limit, and what is wrong. */
    public ClusterStatus status() throws IOException {
        return probe.status();
    }

    /** Why no cluster can run here (ejabberd or Erlang missing), or empty. */
    public static Optional<String> unavailable() {
        return Ejabberd.find().isPresent() ? Optional.empty()
                : Optional.of("ejabberd is not installed (no /usr/bin/erl with /usr/lib/*/ejabberd-*/ebin): "
                        + "apt-get install -y ejabberd");
    }

    public static FleetCluster of(ClusterLayout layout) throws FleetException {
        Optional<Ejabberd> e = Ejabberd.find();
        if (e.isEmpty()) {
            throw new FleetException(unavailable().orElseThrow());
        }
        return new FleetCluster(layout, e.get());
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** The ejabberd version in use (from the package directory). */
    public String brokerVersion() {
        return ejabberd.version();
    }

    public FleetAccounts accounts() throws IOException {
        return FleetAccounts.load(layout.accountsFile());
    }

    /**
     * What {@link #up} measured.
     *
     * @param elapsed from the first node's start to a verified cluster
     * @param status  the status right after
     */
    public record UpReport(Duration elapsed, ClusterStatus status) {
    }

    /**
     * Starts and joins the nodes; throws, naming each failed node and why, unless every node ends up in the cluster.
     * Nodes that did start are left running for inspection; {@link #down} stops them.
     */
    public UpReport up(Duration timeout) throws IOException, FleetException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 1; i <= layout.nodes(); i++) {
            long pid = probe.pid(i);
            if (NodeProbe.alive(pid)) {
                throw new FleetException("node " + i + " (" + layout.nodeName(i) + ") already runs as process " + pid
                        + ": run 'pnn fleet cluster down' first");
            }
        }
        prepare();
        try {
            return startAndJoin(deadline);
        } catch (FleetException e) {
            throw new FleetException(e.getMessage() + "\n(nodes that did start still run: 'pnn fleet cluster down' stops them)", e);
        }
    }

    private UpReport startAndJoin(long deadline) throws IOException, FleetException {
        long t0 = System.nanoTime();
        for (int i = 1; i <= layout.nodes(); i++) {
            AtomicFiles.write(layout.nodeDir(i).resolve("console.log"), new byte[0]); // 0600, not the umask's mode
            Process p = ejabberd.start(layout, i);
            AtomicFiles.write(layout.nodeDir(i).resolve("os.pid"), Long.toString(p.pid()).getBytes(StandardCharsets.US_ASCII));
        }
        awaitListeners(deadline, "start");
        if (layout.nodes() > 1) {
            List<String> joins = new ArrayList<>();
            for (int i = 2; i <= layout.nodes(); i++) {
                joins.add(Erl.call(layout.nodeName(i), "ejabberd_admin", "join_cluster",
                        List.of(Erl.bin(layout.nodeName(1))), CALL.toMillis()));
            }
            List<String> r = ejabberd.call(layout, joins, CALL.multipliedBy(layout.nodes()));
            for (int i = 2; i <= layout.nodes(); i++) {
                if (!r.get(i - 2).equals("ok")) {
                    throw new FleetException("node " + i + " (" + layout.nodeName(i) + ") could not join node 1: "
                            + r.get(i - 2) + probe.lastLog(i));
                }
            }
            awaitListeners(deadline, "join"); // joining restarts ejabberd on the joining node
        }
        register(accounts().accounts(), 1);
        ClusterStatus s = status();
        if (!s.allUp()) {
            throw new FleetException(describeDown(s));
        }
        return new UpReport(Duration.ofNanos(System.nanoTime() - t0), s);
    }

    /**
     * Stops every running node: a graceful stop ({@code init:stop}) waited for up to {@code timeout}, then for the
     * nodes still running SIGTERM and SIGKILL after {@link ProcessStop#TERM_GRACE} ({@link ProcessStop}); returns
     * one line per node.
     */
    public List<String> down(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> calls = new ArrayList<>();
        List<Integer> running = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            if (NodeProbe.alive(probe.pid(i))) {
                running.add(i);
                calls.add(Erl.call(layout.nodeName(i), "init", "stop", List.of(), 5_000));
            }
        }
        if (!calls.isEmpty()) {
            try {
                ejabberd.call(layout, calls, CALL);
            } catch (IOException e) {
                // the signals below still stop them
            }
        }
        String[] how = new String[layout.nodes() + 1];
        List<Integer> stuck = new ArrayList<>();
        List<ProcessHandle> stuckHandles = new ArrayList<>();
        for (int i : running) {
            Optional<ProcessHandle> h = ProcessHandle.of(probe.pid(i));
            how[i] = "stopped";
            if (h.isPresent() && !ProcessStop.awaitExit(h.get(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                stuck.add(i);
                stuckHandles.add(h.get());
            }
        }
        List<ProcessStop.Outcome> ended = ProcessStop.end(stuckHandles, ProcessStop.TERM_GRACE);
        for (int k = 0; k < stuck.size(); k++) {
            how[stuck.get(k)] = switch (ended.get(k)) {
                case GONE -> "stopped";
                case TERMINATED -> "terminated (SIGTERM)";
                case KILLED -> "killed (SIGKILL)";
                case UNKILLABLE -> "still running " + ProcessStop.KILL_WAIT.toSeconds() + " s after SIGKILL";
            };
        }
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            lines.add("node " + i + " (" + layout.nodeName(i) + "): " + (running.contains(i) ? how[i] : "not running"));
        }
        for (int i = 1; i <= layout.nodes(); i++) {
            if (!NodeProbe.alive(probe.pid(i))) { // a stale pid file could name an unrelated process later
                Files.deleteIfExists(layout.nodeDir(i).resolve("ejabberd.pid"));
                Files.deleteIfExists(layout.nodeDir(i).resolve("os.pid"));
            }
        }
        return lines;
    }

    /**
     * Adds an account with a generated password to the account file; when nodes run, registers it and reloads
     * their configuration (the ACLs name the fleet's devices), so the account works at once.
     */
    public FleetAccounts.Account addAccount(String name, FleetAccounts.Role role, String fleet)
            throws IOException, FleetException {
        return addAccounts(List.of(name), role, fleet).get(0);
    }

    /**
     * Adds many accounts of one role and fleet at once (one file write, one registration batch, one reload per
     * node), e.g. the simulator's devices; otherwise as {@link #addAccount}.
     */
    public List<FleetAccounts.Account> addAccounts(List<String> names, FleetAccounts.Role role, String fleet)
            throws IOException, FleetException {
        FleetAccounts updated = accounts().withAll(names, role, fleet);
        AtomicFiles.createPrivateDirectories(layout.stateDir());
        updated.save(layout.accountsFile());
        List<FleetAccounts.Account> added = names.stream().map(n -> updated.find(n).orElseThrow()).toList();
        ClusterStatus s = status();
        List<ClusterStatus.Node> up = s.nodes().stream().filter(ClusterStatus.Node::up).toList();
        if (up.isEmpty()) {
            return added;
        }
        for (ClusterStatus.Node n : up) {
            Files.writeString(layout.nodeDir(n.index()).resolve("ejabberd.yml"),
                    EjabberdConfig.render(layout, n.index(), updated));
        }
        register(added, up.get(0).index());
        List<String> reloads = up.stream().map(n -> Erl.call(n.name(), "ejabberd_config", "reload", List.of(),
                CALL.toMillis())).toList();
        List<String> r = ejabberd.call(layout, reloads, CALL.multipliedBy(up.size()));
        for (int k = 0; k < up.size(); k++) {
            if (!r.get(k).equals("ok")) {
                throw new FleetException("node " + up.get(k).index() + " did not reload its ACLs: " + r.get(k)
                        + "; the accounts are saved, 'pnn fleet cluster down' and 'up' apply them");
            }
        }
        return added;
    }

    /** One line per node that is not up, naming it and the cause. */
    public static String describeDown(ClusterStatus s) {
        List<String> lines = new ArrayList<>();
        for (ClusterStatus.Node n : s.down()) {
            lines.add("node " + n.index() + " (" + n.name() + ", MQTT port " + n.mqttPort() + ") is down: " + n.problem());
        }
        return String.join("\n", lines);
    }

    private void prepare() throws IOException, FleetException {
        Path state = layout.stateDir();
        AtomicFiles.createPrivateDirectories(state);
        if (ejabberd.runAs().isPresent()) {
            // the nodes run as the ejabberd user: it must be able to walk down to its directories
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx--x--x"));
            Optional<SystemUser.Blocked> blocked = SystemUser.unenterableParent(state);
            if (blocked.isPresent()) {
                throw new FleetException("the nodes run as user '" + ejabberd.runAs().get() + "', which cannot enter "
                        + blocked.get().dir() + " (mode " + blocked.get().mode()
                        + "): chmod o+x it or choose another --state-dir");
            }
        }
        FleetAccounts accounts = accounts();
        if (accounts.operators().isEmpty()) {
            accounts = accounts.with(FleetAccounts.OPERATOR, FleetAccounts.Role.OPERATOR, "");
            accounts.save(layout.accountsFile());
        }
        BrokerPki.ensure(layout.tlsDir());
        Path cookie = layout.homeDir().resolve(".erlang.cookie");
        AtomicFiles.createPrivateDirectories(layout.homeDir());
        if (!Files.exists(cookie)) {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            AtomicFiles.write(cookie, java.util.HexFormat.of().formatHex(b).getBytes(StandardCharsets.US_ASCII));
            Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        }
        List<String> busy = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            for (int port : new int[] {layout.mqttPort(i), layout.tlsPort(i)}) {
                if (!free(port)) {
                    busy.add("node " + i + " (" + layout.nodeName(i) + ") cannot start: port " + port
                            + " on 127.0.0.1 is in use by another program (ss -ltnp 'sport = :" + port + "')");
                }
            }
        }
        if (!busy.isEmpty()) {
            throw new FleetException(String.join("\n", busy));
        }
        for (int i = 1; i <= layout.nodes(); i++) {
            Path dir = layout.nodeDir(i);
            deleteTree(dir); // fresh spool: a node restarted on an old schema waits for peers that may not come
            AtomicFiles.createPrivateDirectories(dir.resolve("spool"));
            AtomicFiles.createPrivateDirectories(dir.resolve("log"));
            AtomicFiles.write(dir.resolve("ejabberd.yml"),
                    EjabberdConfig.render(layout, i, accounts).getBytes(StandardCharsets.UTF_8));
        }
        ejabberd.chown(layout.stateDir().resolve("nodes"), layout.homeDir(), layout.tlsDir().resolve("broker.pem"));
    }

    private void register(List<FleetAccounts.Account> accounts, int node) throws IOException, FleetException {
        List<String> calls = accounts.stream().map(a -> Erl.call(layout.nodeName(node), "ejabberd_auth", "try_register",
                List.of(Erl.bin(a.name()), Erl.bin(ClusterLayout.HOST), ScramCredential.of(a.password()).erlangRecord()),
                CALL.toMillis())).toList();
        List<String> r = ejabberd.call(layout, calls, CALL.plusSeconds(accounts.size()));
        for (int k = 0; k < r.size(); k++) {
            if (!r.get(k).equals("ok")) {
                throw new FleetException("could not register account '" + accounts.get(k).name() + "' on node " + node
                        + ": " + r.get(k));
            }
        }
    }

    private void awaitListeners(long deadline, String phase) throws FleetException {
        List<Integer> waiting = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            waiting.add(i);
        }
        while (!waiting.isEmpty()) {
            for (Integer i : List.copyOf(waiting)) {
                if (NodeProbe.accepting(layout.mqttPort(i)) && NodeProbe.accepting(layout.tlsPort(i))) {
                    waiting.remove(i);
                } else if (!NodeProbe.alive(probe.pid(i))) {
                    throw new FleetException("node " + i + " (" + layout.nodeName(i) + ") exited during " + phase
                            + probe.lastLog(i));
                }
            }
            if (!waiting.isEmpty() && System.nanoTime() > deadline) {
                throw new FleetException("node(s) " + waiting + " did not open their MQTT ports within the timeout ("
                        + phase + ")" + probe.lastLog(waiting.get(0)));
            }
            sleep(100);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean waitExit(ProcessHandle h, long deadline) {
        while (h.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(100);
        }
        return true;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

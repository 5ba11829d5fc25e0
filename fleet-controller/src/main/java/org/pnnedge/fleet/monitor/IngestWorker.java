package org.pnnedge.fleet.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.pnnedge.fleet.db.DbException;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.tinylog.Logger;

/**
 * Ingest worker {@code k} of {@code n} ({@link DevicePartition}): an operator account on the cluster with
 * {@link Options#sessions} persistent MQTT sessions ("lanes": clean start off, session expiry 1 h), each
 * subscribed QoS 1 to the explicit topics of its share of the devices, and one writer thread that commits what
 * arrives in batches ({@link IngestStore}) and only then acknowledges it (manual acknowledgement of the HiveMQ
 * client). ejabberd keeps one unacknowledged QoS 1 message per session in flight, so the lanes are also the
 * parallelism: a batch holds at most one message per lane there, and the bounded queue between MQTT and the
 * database never fills with QoS 1 messages (brokers that honour Receive Maximum get {@code queue / sessions} per
 * lane); QoS 0 messages, which neither rule holds back, have a half of their own and are dropped beyond it. A failed
 * database write is retried with back-off (0.5–30 s) and acknowledges nothing meanwhile: the broker keeps the
 * messages in the sessions (ejabberd: up to {@code max_queue} messages per session, 10,000 on our cluster). A
 * writer that dies (a bug) is noticed within a second and replaced ({@link SupervisedThread}); the batch it held,
 * unacknowledged, is written by its replacement first.
 *
 * <p>Over 400 lines on purpose: the lanes, the writer loop and its retry rule share one queue and one set of
 * counters, and read together they show that nothing is acknowledged before it is committed.
 */
public final class IngestWorker implements AutoCloseable {
    /** The device ids the {@code device} table accepts (and that are MQTT topic segments). */
    private static final Pattern DEVICE_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");

    /**
     * How the worker runs.
     *
     * @param partition     which devices are this worker's
     * @param sessions      MQTT sessions (lanes) of this worker, 1..256
     * @param servers       the cluster's nodes; lane {@code i} starts on node {@code i mod size}, next node on reconnect
     * @param accountsFile  the cluster's {@code accounts.json}: devices to follow and the operator's password
     * @param operator      the operator account to connect as
     * @param retention     data older than this (whole UTC days) is dropped, and refused when it arrives
     * @param accountsPoll  how often {@code accounts.json} is checked for added or removed devices
     * @param queue         bound of the queue between MQTT and the writer, ≥ sessions
     * @param batchMax      most messages per transaction
     */
    public record Options(DevicePartition partition, int sessions, List<InetSocketAddress> servers, Path accountsFile,
                          String operator, Duration retention, Duration accountsPoll, int queue, int batchMax) {
        public Options {
            if (sessions < 1 || sessions > 256) {
                throw new IllegalArgumentException("--sessions must be in 1..256, got " + sessions);
            }
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("--servers: give at least one node");
            }
            if (retention.toDays() < 1) {
                throw new IllegalArgumentException("--retention must be at least one day (P1D), got " + retention);
            }
            if (queue < sessions || batchMax < 1) {
                throw new IllegalArgumentException("--queue must be ≥ --sessions and the batch ≥ 1");
            }
            if (accountsPoll.isNegative() || accountsPoll.isZero()) {
                throw new IllegalArgumentException("--accounts-poll must be positive, got " + accountsPoll);
            }
        }
    }

    /** Counters since start. */
    public record Stats(long received, long stored, long duplicates, long rejected, long batches, long dbRetries,
                        int devices, int lanesConnected, long writerRestarts, long dropped) {
    }

    private record Inbound(Mqtt5Publish publish, Instant received) {
    }

    private final Options o;
    private final FleetDatabase db;
    private final BlockingQueue<Inbound> queue;
    private final IngestLanes lanes;
    private final Map<String, String> fleetOf = new ConcurrentHashMap<>();
    /** Every device account's fleet (not only this worker's): a kept session's backlog arrives before subscribing. */
    private volatile Map<String, String> fleets;
    private final IngestStore store = new IngestStore();
    private final SupervisedThread writer;
    /**
     * The batch the writer holds until it has committed and acknowledged it: a writer that dies leaves it here and
     * its replacement writes it first (unacknowledged, so nothing acknowledged is lost, and the lanes' one message
     * in flight is not stuck behind a dead thread).
     */
    private volatile List<Inbound> carried = List.of();
    /** Test hook: the writer throws this while it holds its next batch (an unexpected bug), once. */
    private volatile RuntimeException injectedWriterFault;
    private final java.util.concurrent.ScheduledExecutorService poller;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong dbRetries = new AtomicLong();
    private final AtomicLong lastRejectLog = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong();
    /** Held while a QoS 0 message checks for room and takes it, so their half of the queue is never exceeded. */
    private final Object qos0Room = new Object();
    private volatile boolean running = true;
    private volatile String accountsStamp = "";
    private Connection connection;
    private LocalDate maintainedOn;

    public IngestWorker(Options o, FleetDatabase db) throws IOException {
        this.o = o;
        this.db = db;
        // half the room is for QoS 1 messages, which the lanes' Receive Maximum bounds to o.queue() in flight; the
        // other half for QoS 0 ones, which nothing holds back (see arrived)
        this.queue = new ArrayBlockingQueue<>(2 * o.queue());
        FleetAccounts accounts = FleetAccounts.load(o.accountsFile());
        this.fleets = fleetsOf(accounts);
        String password = accounts.find(o.operator())
                .filter(a -> a.role() == FleetAccounts.Role.OPERATOR)
                .orElseThrow(() -> new IllegalArgumentException("no operator account '" + o.operator() + "' in "
                        + o.accountsFile() + " (pnn fleet account add NAME --operator)")).password();
        this.lanes = new IngestLanes(o.partition(), o.sessions(), o.servers(), o.operator(), password, this::arrived);
        this.writer = new SupervisedThread("ingest-writer", this::writeLoop, 8, () -> carried.size());
        this.poller = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-accounts");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects every lane, subscribes to this worker's devices and starts writing; throws when the cluster refuses. */
    public void start() throws IOException {
        lanes.connect(o.queue() / o.sessions());
        writer.start();
        syncAccounts();
        poller.scheduleWithFixedDelay(() -> {
            try {
                syncAccounts();
            } catch (IOException | RuntimeException e) {
                Logger.warn("ingest: cannot follow {}: {}", o.accountsFile(), e.getMessage());
            }
        }, o.accountsPoll().toMillis(), o.accountsPoll().toMillis(), TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(() -> writer.supervise(running), 1, 1, TimeUnit.SECONDS);
    }

    /** Test hook: the writer throws {@code fault} while it holds its next batch, as a bug would. */
    void injectWriterFault(RuntimeException fault) {
        injectedWriterFault = fault;
    }

    /** The writer thread now running (replaced after a death). */
    Thread writerThread() {
        return writer.thread();
    }

    /** Test hook: the messages waiting for the writer, counted by QoS code. */
    int[] queuedByQos() {
        int[] n = new int[3];
        queue.forEach(in -> n[in.publish().getQos().getCode()]++);
        return n;
    }

    /** The devices this worker follows (id → fleet). */
    public Set<String> devices() {
        return Set.copyOf(fleetOf.keySet());
    }

    public Stats stats() {
        return new Stats(received.get(), stored.get(), duplicates.get(), rejected.get(), batches.get(), dbRetries.get(),
                fleetOf.size(), lanes.connected(), writer.restarts(), dropped.get());
    }

    /**
     * Why the worker gave up: its writer died 8 times in a row without committing a batch (a dead writer is
     * replaced before that); the process should exit and be restarted.
     */
    public java.util.Optional<Throwable> failure() {
        return writer.gaveUp();
    }

    void arrived(Mqtt5Publish p) { // the lanes' callback; package-private for IngestQueueTest
        received.incrementAndGet();
        Inbound in = new Inbound(p, Instant.now());
        boolean taken;
        if (p.getQos() == MqttQos.AT_MOST_ONCE) {
            // a QoS 0 flood (a device publishing faster than the writer commits) must never take the room of a QoS 1
            // message: one left unacknowledged holds its lane's in-flight slot (ejabberd: the only one) until a
            // reconnect, and the lane stalls
            synchronized (qos0Room) {
                taken = queue.size() < o.queue() && queue.offer(in);
            }
        } else {
            // fails only when a broker ignores Receive Maximum; unacknowledged, so sent again after a reconnect
            taken = queue.offer(in);
        }
        if (!taken) {
            long n = dropped.incrementAndGet();
            long now = System.currentTimeMillis();
            long last = lastDropLog.get();
            if (now - last > 60_000 && lastDropLog.compareAndSet(last, now)) { // per message: rate-limited
                Logger.error("ingest: queue full ({}), QoS {} message on {} not taken ({} so far; QoS 0 ones are lost, "
                        + "QoS 1 ones left unacknowledged for the broker to resend; at most one such line a minute)",
                        o.queue(), p.getQos().getCode(), p.getTopic(), n);
            }
        }
    }

    /** Reads accounts.json (when changed) and (un)subscribes the devices this worker owns. */
    synchronized void syncAccounts() throws IOException {
        String stamp = Files.getLastModifiedTime(o.accountsFile()) + "/" + Files.size(o.accountsFile());
        if (stamp.equals(accountsStamp)) {
            return;
        }
        Map<String, String> want = new java.util.HashMap<>();
        FleetAccounts accounts = FleetAccounts.load(o.accountsFile());
        fleets = fleetsOf(accounts);
        for (FleetAccounts.Account a : accounts.accounts()) {
            if (a.role() != FleetAccounts.Role.DEVICE || !o.partition().owns(a.name())) {
                continue;
            }
            if (!DEVICE_ID.matcher(a.name()).matches()) {
                Logger.warn("ingest: device account '{}' is not a valid device id ({}): not followed", a.name(), DEVICE_ID);
                continue;
            }
            want.put(a.name(), a.fleet());
        }
        List<String> added = want.keySet().stream().filter(d -> !fleetOf.containsKey(d)).sorted().toList();
        List<String> removed = fleetOf.keySet().stream().filter(d -> !want.containsKey(d)).sorted().toList();
        fleetOf.putAll(want);
        lanes.subscribe(added);
        lanes.unsubscribe(removed);
        removed.forEach(fleetOf::remove);
        accountsStamp = stamp;
        if (!added.isEmpty() || !removed.isEmpty()) {
            Logger.info("ingest worker {}/{}: +{} -{} devices, following {}", o.partition().worker(),
                    o.partition().workers(), added.size(), removed.size(), fleetOf.size());
        }
    }

    private static Map<String, String> fleetsOf(FleetAccounts accounts) {
        Map<String, String> m = new java.util.HashMap<>();
        accounts.accounts().stream().filter(a -> a.role() == FleetAccounts.Role.DEVICE).forEach(a -> m.put(a.name(), a.fleet()));
        return Map.copyOf(m);
    }

    private String fleetOf(String device) {
        return fleets.getOrDefault(device, "unknown");
    }

    private void writeLoop() {
        try {
            while (running) {
                maintain();
                List<Inbound> batch = carried;
                if (batch.isEmpty()) {
                    Inbound first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch = new ArrayList<>();
                    batch.add(first);
                    queue.drainTo(batch, o.batchMax() - 1);
                    carried = batch;
                }
                RuntimeException fault = injectedWriterFault;
                if (fault != null) {
                    injectedWriterFault = null;
                    throw fault;
                }
                if (!writeBatch(batch)) {
                    return; // stopping with the batch unwritten: unacknowledged, the broker sends it again
                }
                for (Inbound in : batch) {
                    if (in.publish().getQos() != MqttQos.AT_MOST_ONCE) {
                        in.publish().acknowledge();
                    }
                }
                carried = List.of();
                writer.progress();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            writer.died(t);
            Logger.error(t, "ingest: the writer died holding {} unacknowledged messages; it will be replaced",
                    carried.size());
        } finally {
            closeConnection();
        }
    }

    /** Parses and commits a batch; false when stopped before it could be committed. */
    private boolean writeBatch(List<Inbound> batch) throws InterruptedException {
        Instant oldest = LocalDate.now(ZoneOffset.UTC).minusDays(o.retention().toDays()).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant newest = Instant.now().plus(Duration.ofDays(1));
        List<Ingested> rows = new ArrayList<>();
        for (Inbound in : batch) {
            try {
                Ingested m = Ingested.parse(in.publish().getTopic().toString(), in.publish().getPayloadAsBytes(),
                        in.received(), in.publish().isRetain());
                if (m.partitionTime().isBefore(oldest) || m.partitionTime().isAfter(newest)) {
                    throw new IllegalArgumentException(in.publish().getTopic() + ": time " + m.partitionTime()
                            + " outside the kept window " + oldest + " .. " + newest);
                }
                rows.add(m);
            } catch (IllegalArgumentException e) {
                reject(e.getMessage());
            }
        }
        if (rows.isEmpty()) {
            return true;
        }
        long backoff = 500;
        while (true) {
            try {
                IngestStore.Written w = store.write(connection(), rows, this::fleetOf);
                stored.addAndGet(w.inserted());
                duplicates.addAndGet(w.duplicates());
                batches.incrementAndGet();
                return true;
            } catch (SQLException e) {
                if (dataError(e)) {
                    store.reset();
                    if (rows.size() == 1) {
                        reject(rows.get(0).device() + ": refused by the database: " + e.getMessage());
                        return true;
                    }
                    // find the bad row(s): one message per transaction
                    for (Ingested m : rows) {
                        if (!writeBatchOf(m)) {
                            return false;
                        }
                    }
                    return true;
                }
                dbRetries.incrementAndGet();
                Logger.warn("ingest: database write failed ({}: {}); retrying in {} ms, nothing acknowledged",
                        e.getSQLState(), e.getMessage(), backoff);
                closeConnection();
            } catch (DbException e) {
                dbRetries.incrementAndGet();
                Logger.warn("ingest: database unreachable ({}); retrying in {} ms", e.getMessage(), backoff);
            }
            if (!pause(backoff)) {
                return false;
            }
            backoff = Math.min(30_000, backoff * 2);
        }
    }

    /** One message in its own transaction (to single out a row the database refuses); false when stopped. */
    private boolean writeBatchOf(Ingested m) throws InterruptedException {
        long backoff = 500;
        while (running) {
            try {
                IngestStore.Written w = store.write(connection(), List.of(m), this::fleetOf);
                stored.addAndGet(w.inserted());
                duplicates.addAndGet(w.duplicates());
                return true;
            } catch (SQLException e) {
                if (dataError(e)) {
                    reject(m.device() + ": refused by the database: " + e.getMessage());
                    return true;
                }
                closeConnection();
            } catch (DbException e) {
                // unreachable: back off below
            }
            dbRetries.incrementAndGet();
            if (!pause(backoff)) {
                return false;
            }
            backoff = Math.min(30_000, backoff * 2);
        }
        return false;
    }

    /** Sleeps {@code ms} unless stopped meanwhile; false when stopped. */
    private boolean pause(long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (!running) {
                return false;
            }
            Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        return running;
    }

    private static boolean dataError(SQLException e) {
        String s = e.getSQLState();
        return s != null && (s.startsWith("22") || s.startsWith("23"));
    }

    private void reject(String why) {
        rejected.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastRejectLog.get();
        if (now - last > 60_000 && lastRejectLog.compareAndSet(last, now)) {
            Logger.warn("ingest: message not stored ({}); {} refused so far, at most one such line a minute", why,
                    rejected.get());
        }
    }

    /** Creates today's and the next days' partitions and drops those past the retention, once a day per worker. */
    private void maintain() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (today.equals(maintainedOn)) {
            return;
        }
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            MonitorSchema.ensureDays(c, List.of(today.minusDays(1), today, today.plusDays(1), today.plusDays(2)));
            c.commit();
            List<String> dropped = MonitorSchema.dropBefore(c, today.minusDays(o.retention().toDays()));
            if (!dropped.isEmpty()) {
                Logger.info("ingest: dropped {} partitions past the retention {}: {}", dropped.size(), o.retention(), dropped);
            }
            store.reset();
            maintainedOn = today;
        } catch (SQLException | DbException e) {
            Logger.warn("ingest: partition maintenance failed ({}); tried again with the next batch", e.getMessage());
            closeConnection();
        }
    }

    private Connection connection() throws SQLException, DbException {
        if (connection == null) {
            connection = db.connect();
            store.reset();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    /** Stops: the writer finishes (commits and acknowledges) its batch, the lanes disconnect keeping their sessions. */
    @Override
    public void close() {
        running = false;
        poller.shutdownNow();
        try {
            writer.join(IngestLanes.TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.close();
    }
}

package org.pnnedge.fleet.dispatch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.dispatch.DispatchEvent.Request;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.mqtt.RequestError;

/**
 * A fleet's inference dispatcher: the {@link DispatchChannel} (MQTT) feeds a bounded event queue; one loop thread
 * runs the {@link Router} and its deadlines; a lock thread keeps {@link DispatchLock} (active or standby) and turns
 * the request subscription on or off; a watchdog replaces either thread should it die. A standby follows the
 * devices too, so it takes over warm.
 */
public final class Dispatcher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MQTT_TIMEOUT = Duration.ofSeconds(30);
    private static final long ACCOUNTS_POLL_NANOS = 10_000_000_000L;
    private static final long STATS_NANOS = 100_000_000L;
    private static final long TICK_NANOS = 10_000_000L;

    /**
     * @param queue     events waiting for the loop (requests, replies, telemetry); beyond it a request is answered
     *                  {@code busy} at once and other events are dropped and counted
     * @param lockPoll  how often a standby tries the lock and the active one checks it
     */
    public record Options(String fleet, List<InetSocketAddress> servers, Path accountsFile, String user,
                          Duration timeout, int maxOutstanding, int maxWaiting, Duration liveness, int queue,
                          Duration lockPoll) {
    }

    /** What a report prints. */
    public record Stats(boolean active, boolean connected, List<String> online, int devices, int inFlight, int waiting,
                        long forwarded, long answered, long resent, long late, java.util.Map<String, Long> errors,
                        java.util.Map<String, Long> answeredBy, long dropped, long restarts, long logSuppressed,
                        int talkers, long talkersMoved) {
    }

    private final Options o;
    private final FleetDatabase db;
    private final Consumer<String> say;
    private final RateLog log = new RateLog(Duration.ofMinutes(1));
    private final BlockingQueue<DispatchEvent> events;
    private final Router router;
    private final DispatchChannel channel;
    private final DispatchLock lock;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private volatile boolean open = true;
    private volatile boolean active;
    private volatile Stats stats;
    private volatile Thread loop;
    private volatile Thread locker;
    private Thread watchdog;
    private volatile Set<String> devices;
    private long accountsStamp;
    private long statsAt = System.nanoTime() - STATS_NANOS - 1;
    private long tickAt = System.nanoTime() - TICK_NANOS;
    private long accountsChecked = System.nanoTime();
    /** Test hook: an event that makes the loop thread die (to show it is replaced). */
    volatile boolean crashOnNextEvent;

    /**
     * Reads the fleet's device accounts and the operator's password; nothing connects yet.
     *
     * @param say where the transitions (active, standby) are announced
     * @throws IllegalArgumentException when the fleet has no device accounts or the user is no operator
     */
    public Dispatcher(Options o, FleetDatabase db, Consumer<String> say) throws IOException {
        this.o = o;
        this.db = db;
        this.say = say;
        FleetAccounts accounts = FleetAccounts.load(o.accountsFile());
        FleetAccounts.Account op = accounts.find(o.user()).filter(a -> a.role() == FleetAccounts.Role.OPERATOR)
                .orElseThrow(() -> new IllegalArgumentException("bad-option: '" + o.user() + "' is not an operator "
                        + "account in " + o.accountsFile()));
        Set<String> devices = devicesOf(accounts);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("empty-fleet: fleet '" + o.fleet() + "' has no device accounts in "
                    + o.accountsFile() + " (pnn fleet account add <device> --fleet " + o.fleet() + ")");
        }
        this.events = new ArrayBlockingQueue<>(o.queue());
        this.router = new Router(o.fleet(), new Router.Limits(o.timeout(), o.maxOutstanding(), o.maxWaiting(),
                o.liveness(), 2), new Sink());
        router.devices(devices);
        this.devices = devices;
        byte[] instance = new byte[8];
        new SecureRandom().nextBytes(instance);
        String me = "pnn-dispatch " + o.fleet() + " pid " + ProcessHandle.current().pid();
        this.channel = new DispatchChannel(o.servers(), op.name(), op.password(), "pnn-dispatch-" + o.fleet() + "-"
                + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()), o.fleet(), instance,
                this::offer, log);
        this.lock = new DispatchLock(db, o.fleet(), me);
        this.accountsStamp = stamp();
        this.stats = stats(false);
    }

    /** Connects, follows the devices, asks them for their status, then starts the threads (active or standby). */
    public void start() throws IOException {
        channel.connect(MQTT_TIMEOUT);
        channel.follow(devices, MQTT_TIMEOUT);
        channel.probe();
        loop = thread("pnn-dispatch-" + o.fleet(), this::runLoop);
        locker = thread("pnn-dispatch-" + o.fleet() + "-lock", this::runLock);
        watchdog = new Thread(this::watch, "pnn-dispatch-" + o.fleet() + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    public boolean active() {
        return active;
    }

    /** The latest counters (refreshed by the loop about every 100 ms). */
    public Stats stats() {
        return stats;
    }

    private void offer(DispatchEvent e) {
        if (!events.offer(e)) {
            dropped.incrementAndGet();
            if (e instanceof Request r) { // answered on the MQTT thread: the loop is too far behind to queue it
                fail(r, Router.BUSY, "the dispatcher of fleet " + o.fleet() + " has " + o.queue()
                        + " events queued; retry later");
            }
            log.warn("queue-full", "dispatch {}: event queue full ({}); {} dropped so far", o.fleet(), o.queue(),
                    dropped.get());
        }
    }

    private void runLoop() {
        while (open) {
            DispatchEvent e;
            try {
                e = events.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            long now = System.nanoTime();
            if (e != null && crashOnNextEvent) {
                crashOnNextEvent = false;
                throw new IllegalStateException("test: the loop thread dies");
            }
            try {
                switch (e) {
                    case null -> { }
                    case Request r -> {
                        if (active) {
                            router.request(r, now);
                        }
                    }
                    case DispatchEvent.Reply r -> router.reply(r.device(), r.seq(), r.payload(), r.status(), now);
                    case DispatchEvent.Heard h -> router.heard(h.device(), now);
                    case DispatchEvent.Gone g -> router.gone(g.device(), now);
                    case DispatchEvent.Members m -> router.devices(m.devices());
                }
                if (now - tickAt >= TICK_NANOS) { // deadlines to 10 ms: not a walk of all pending per event
                    tickAt = now;
                    router.tick(now);
                }
            } catch (RuntimeException ex) {
                log.warn("loop", "dispatch {}: {} while handling {}", o.fleet(), ex.toString(), e);
            }
            if (now - statsAt > STATS_NANOS) { // a snapshot walks every device: not once per event
                statsAt = now;
                stats = stats(channel.connected());
            }
        }
    }

    private void runLock() {
        boolean first = true;
        Boolean subscribed = null; // what the broker was last told; null: unknown (start, or a failed attempt)
        while (open) {
            boolean held = lock.check();
            if (first || held != active) {
                active = held; // the loop stops routing at once when the lock is gone, whatever MQTT does next
                first = false;
                if (held) {
                    say.accept("dispatch " + o.fleet() + ": active (holds the fleet's dispatcher lock)");
                } else {
                    String h = lock.holder();
                    say.accept("dispatch " + o.fleet() + ": standby (the lock is held by "
                            + (h.isEmpty() ? "another dispatcher, or the database is unreachable" : h) + ")");
                }
            }
            if (subscribed == null || subscribed != held) {
                try {
                    channel.requests(held, MQTT_TIMEOUT); // stops passing requests on before it unsubscribes
                    subscribed = held;
                    if (held) {
                        channel.probe();
                    }
                } catch (IOException e) {
                    subscribed = null;
                    log.warn("subscribe", "dispatch {}: {}; tried again in {}", o.fleet(), e.getMessage(), o.lockPoll());
                }
            }
            long now = System.nanoTime();
            if (now - accountsChecked > ACCOUNTS_POLL_NANOS) {
                accountsChecked = now;
                reloadAccounts();
            }
            try {
                Thread.sleep(o.lockPoll().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Replaces a dead loop or lock thread (a bug: the loop catches what its handlers throw). */
    private void watch() {
        while (open) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            if (open && !loop.isAlive()) {
                restarts.incrementAndGet();
                log.warn("loop-died", "dispatch {}: the loop thread died; started a new one ({} restarts)", o.fleet(),
                        restarts.get());
                loop = thread("pnn-dispatch-" + o.fleet(), this::runLoop);
            }
            if (open && !locker.isAlive()) {
                restarts.incrementAndGet();
                log.warn("lock-died", "dispatch {}: the lock thread died; started a new one ({} restarts)", o.fleet(),
                        restarts.get());
                locker = thread("pnn-dispatch-" + o.fleet() + "-lock", this::runLock);
            }
        }
    }

    private void reloadAccounts() {
        long s = stamp();
        if (s == accountsStamp) {
            return;
        }
        accountsStamp = s;
        try {
            Set<String> now = devicesOf(FleetAccounts.load(o.accountsFile()));
            channel.follow(now, MQTT_TIMEOUT);
            devices = now;
            offer(new DispatchEvent.Members(now)); // the router is the loop's
            channel.probe();
        } catch (IOException e) {
            log.warn("accounts", "dispatch {}: cannot re-read {}: {}", o.fleet(), o.accountsFile(), e.getMessage());
        }
    }

    private long stamp() {
        try {
            return Files.getLastModifiedTime(o.accountsFile()).toMillis() * 31 + Files.size(o.accountsFile());
        } catch (IOException e) {
            return 0;
        }
    }

    private Set<String> devicesOf(FleetAccounts accounts) {
        Set<String> ids = new TreeSet<>();
        accounts.devicesOf(o.fleet()).forEach(a -> ids.add(a.name()));
        return ids;
    }

    private Stats stats(boolean connected) {
        Router.Snapshot s = router.snapshot(System.nanoTime());
        return new Stats(active, connected, s.usable(), s.known(), s.inFlight(), s.waiting(), s.forwarded(),
                s.answered(), s.resent(), s.late(), s.errors(), s.answeredBy(), dropped.get(), restarts.get(),
                log.suppressed(), s.talkers(), s.talkersMoved());
    }

    private void fail(Request r, String kind, String message) {
        JsonNode id = null;
        try {
            JsonNode req = JSON.readTree(r.payload());
            id = req == null ? null : req.get("id");
        } catch (IOException e) {
            // not JSON: the device would have said so; the error carries no id
        }
        try {
            channel.answer(r, null, JSON.writeValueAsBytes(RequestError.of(kind, message, id)), "error");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Sink implements Router.Sink {
        @Override
        public void forward(String device, long seq, Request r) {
            channel.forward(device, seq, r);
        }

        @Override
        public void answer(Request r, String device, byte[] payload, String status) {
            channel.answer(r, device, payload, status);
        }

        @Override
        public void fail(Request r, String kind, String message) {
            if (!kind.equals(Router.BUSY)) {
                log.warn(kind, "dispatch {}: answered {}: {}", o.fleet(), kind, message);
            }
            Dispatcher.this.fail(r, kind, message);
        }
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        // what killed it, once a minute at most (not a stack trace per death on standard error)
        t.setUncaughtExceptionHandler((th, ex) -> log.warn("died-" + name, "dispatch {}: thread {} died: {}", o.fleet(),
                name, ex.toString()));
        t.start();
        return t;
    }

    @Override
    public void close() {
        open = false;
        for (Thread t : new Thread[] {watchdog, loop, locker}) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : new Thread[] {loop, locker}) {
            if (t != null) {
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        active = false;
        channel.close();
        lock.close();
    }
}

package org.pnnedge.fleet.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pnnedge.fleet.dispatch.DispatchEvent.Request;

/**
 * Which device answers which request: the dispatcher's state, owned by its one loop thread (no locks). A request
 * goes to the usable device with the fewest outstanding requests, ties broken round robin; it waits (bounded) when
 * every usable device has {@link Limits#maxOutstanding()} outstanding; every request is answered — by its device
 * or with a named error — by its deadline ({@link Limits#timeout()} after arrival, checked by {@link #tick}).
 *
 * <p>A device is <em>usable</em> when it was heard (live telemetry, online status or a reply) within
 * {@link Limits#liveness()}, has not said it is offline since, and has not let a request time out since it was
 * last heard ("suspect"). Requests in flight to a device that goes offline are sent to another device (at most
 * {@link Limits#maxAttempts()} sends per request) while their deadline allows.
 *
 * <p>Talker affinity: a request that names a {@code talker} goes to the device that got that talker's last request
 * (its home), while the home is usable and has a free slot, so the device's running estimate of the talker (mqtt.md,
 * "Measurement requests") sees all its words; otherwise it is routed as any request and the talker moves to the
 * device that gets it (counted: {@link Snapshot#talkersMoved()}). At most {@value #MAX_TALKERS} homes are kept, the
 * least recently used forgotten first.
 */
final class Router {
    /** Error kinds a requester can get from the dispatcher (besides the device's own, passed through). */
    static final String NO_DEVICE = "no_device";
    static final String TIMEOUT = "timeout";
    static final String BUSY = "busy";
    static final String DEVICE_LOST = "device_lost";
    /** Talker homes kept at most (a few dozen bytes each). */
    static final int MAX_TALKERS = 10_000;

    /**
     * @param timeout        every request is answered within this of its arrival
     * @param maxOutstanding requests in flight per device
     * @param maxWaiting     requests waiting for a free device; beyond it the requester is answered {@code busy}
     * @param liveness       a device not heard from within this is not used
     * @param maxAttempts    sends per request (a re-send only after its device went offline)
     */
    record Limits(Duration timeout, int maxOutstanding, int maxWaiting, Duration liveness, int maxAttempts) {
        Limits {
            if (timeout.isNegative() || timeout.isZero() || liveness.isNegative() || liveness.isZero()) {
                throw new IllegalArgumentException("timeout and liveness must be positive durations");
            }
            if (maxOutstanding < 1 || maxWaiting < 0 || maxAttempts < 1) {
                throw new IllegalArgumentException("max-outstanding and attempts must be >= 1, max-waiting >= 0");
            }
        }
    }

    /** What the router asks its MQTT side to do. */
    interface Sink {
        /** Send {@code r} to {@code device}'s request topic, tagged {@code seq}. */
        void forward(String device, long seq, Request r);

        /** Pass {@code device}'s answer to the requester. */
        void answer(Request r, String device, byte[] payload, String status);

        /** Answer the requester with a named error. */
        void fail(Request r, String kind, String message);
    }

    /** Counters and the current picture, for reports and tests. */
    record Snapshot(List<String> usable, int known, int inFlight, int waiting, long forwarded, long answered,
                    long resent, long late, Map<String, Long> errors, Map<String, Long> answeredBy, int talkers,
                    long talkersMoved) {
    }

    private static final class Device {
        final String id;
        boolean online;
        boolean suspect;
        long heard;
        int outstanding;
        long answered;

        Device(String id) {
            this.id = id;
        }
    }

    private static final class Pending {
        final Request request;
        final long deadline;
        Device device;
        int attempts;

        Pending(Request request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }

    private final String fleet;
    private final Limits limits;
    private final Sink sink;
    private final Map<String, Device> byId = new HashMap<>();
    private final List<Device> order = new ArrayList<>();
    private final Map<Long, Pending> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, String> homes = new LinkedHashMap<>(16, 0.75f, true) { // talker -> device, LRU
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_TALKERS;
        }
    };
    private long talkersMoved;
    private int next;
    private long seq;
    private long forwarded;
    private long answered;
    private long resent;
    private long late;

    Router(String fleet, Limits limits, Sink sink) {
        this.fleet = fleet;
        this.limits = limits;
        this.sink = sink;
    }

    /** The fleet's devices (from the accounts); devices no longer listed are forgotten once idle. */
    void devices(Collection<String> ids) {
        for (String id : ids) {
            byId.computeIfAbsent(id, Device::new);
        }
        byId.values().removeIf(d -> !ids.contains(d.id) && d.outstanding == 0);
        order.clear();
        order.addAll(byId.values());
        order.sort((a, b) -> a.id.compareTo(b.id));
        next = order.isEmpty() ? 0 : next % order.size();
    }

    /** Telemetry, an online status or a reply from {@code id}: usable again. */
    void heard(String id, long now) {
        Device d = byId.get(id);
        if (d != null) {
            d.online = true;
            d.suspect = false;
            d.heard = now;
            drain(now);
        }
    }

    /** {@code id} said it is offline: its requests in flight go to another device while their deadline allows. */
    void gone(String id, long now) {
        Device d = byId.get(id);
        if (d == null) {
            return;
        }
        d.online = false;
        List<Pending> orphans = new ArrayList<>();
        for (Iterator<Pending> it = inFlight.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.device == d) {
                it.remove();
                d.outstanding--;
                orphans.add(p);
            }
        }
        for (Pending p : orphans) {
            if (p.attempts >= limits.maxAttempts() || now - p.deadline >= 0) {
                fail(p, DEVICE_LOST, "device " + d.id + " went offline before answering");
            } else {
                resent++;
                route(p, now, true);
            }
        }
    }

    /** A new request from a requester. */
    void request(Request r, long now) {
        route(new Pending(r, r.arrived() + limits.timeout().toNanos()), now, false);
    }

    /** {@code device}'s answer to send {@code s}; a late or foreign one (no such send to that device) is counted. */
    void reply(String device, long s, byte[] payload, String status, long now) {
        Pending p = inFlight.get(s);
        if (p == null || !p.device.id.equals(device)) {
            late++;
            heard(device, now);
            return;
        }
        inFlight.remove(s);
        p.device.outstanding--;
        p.device.answered++;
        answered++;
        sink.answer(p.request, device, payload, status);
        heard(device, now); // also drains the waiting requests into the freed slot
    }

    /** Deadlines: requests in flight or waiting past theirs are answered {@code timeout}. */
    void tick(long now) {
        for (Iterator<Pending> it = inFlight.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.deadline >= 0) {
                it.remove();
                p.device.outstanding--;
                p.device.suspect = true; // not used again until heard from
                fail(p, TIMEOUT, "device " + p.device.id + " did not answer within " + limits.timeout());
            }
        }
        for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.deadline >= 0) {
                it.remove();
                fail(p, TIMEOUT, "no device of fleet " + fleet + " was free within " + limits.timeout() + " ("
                        + waiting.size() + " requests waiting)");
            }
        }
        if (!waiting.isEmpty() && noneUsable(now)) {
            while (!waiting.isEmpty()) {
                fail(waiting.poll(), NO_DEVICE, noDevice(now));
            }
        }
        drain(now);
    }

    Snapshot snapshot(long now) {
        List<String> usable = order.stream().filter(d -> usable(d, now)).map(d -> d.id).toList();
        Map<String, Long> by = new TreeMap<>();
        order.forEach(d -> by.put(d.id, d.answered));
        return new Snapshot(usable, order.size(), inFlight.size(), waiting.size(), forwarded, answered, resent, late,
                new TreeMap<>(errors), by, homes.size(), talkersMoved);
    }

    private void route(Pending p, long now, boolean first) {
        if (noneUsable(now)) {
            fail(p, NO_DEVICE, noDevice(now));
            return;
        }
        Device d = pick(p, now);
        if (d != null) {
            send(p, d);
        } else if (first) {
            waiting.addFirst(p); // a re-send keeps its place ahead of newer requests
        } else if (waiting.size() < limits.maxWaiting()) {
            waiting.addLast(p);
        } else {
            fail(p, BUSY, "all devices of fleet " + fleet + " have " + limits.maxOutstanding()
                    + " requests outstanding and " + waiting.size() + " requests are waiting; retry later");
        }
    }

    private void drain(long now) {
        while (!waiting.isEmpty()) {
            Device d = pick(waiting.peek(), now);
            if (d == null) {
                return;
            }
            send(waiting.poll(), d);
        }
    }

    private void send(Pending p, Device d) {
        p.device = d;
        p.attempts++;
        d.outstanding++;
        long s = ++seq;
        inFlight.put(s, p);
        forwarded++;
        sink.forward(d.id, s, p.request);
    }

    /** The talker's home when it can take the request, else {@link #pick(long)}; the talker's home becomes it. */
    private Device pick(Pending p, long now) {
        String talker = p.request.talker();
        if (talker == null) {
            return pick(now);
        }
        Device home = byId.get(homes.get(talker));
        if (home != null && usable(home, now) && home.outstanding < limits.maxOutstanding()) {
            return home;
        }
        Device d = pick(now);
        if (d != null && homes.put(talker, d.id) != null) {
            talkersMoved++;
        }
        return d;
    }

    /** Least outstanding among the usable devices with a free slot; from the round-robin position on, ties to the first. */
    private Device pick(long now) {
        int n = order.size();
        Device best = null;
        int at = -1;
        for (int k = 0; k < n; k++) {
            int i = (next + k) % n;
            Device d = order.get(i);
            if (!usable(d, now) || d.outstanding >= limits.maxOutstanding()) {
                continue;
            }
            if (best == null || d.outstanding < best.outstanding) {
                best = d;
                at = i;
                if (d.outstanding == 0) {
                    break;
                }
            }
        }
        if (best != null) {
            next = (at + 1) % n;
        }
        return best;
    }

    private boolean usable(Device d, long now) {
        return d.online && !d.suspect && now - d.heard <= limits.liveness().toNanos();
    }

    private boolean noneUsable(long now) {
        for (Device d : order) {
            if (usable(d, now)) {
                return false;
            }
        }
        return true;
    }

    private String noDevice(long now) {
        long online = order.stream().filter(d -> d.online && now - d.heard <= limits.liveness().toNanos()).count();
        return "no device of fleet " + fleet + " is online and answering (" + order.size() + " devices known, "
                + online + " heard within " + limits.liveness() + (online > 0 ? ", all of them suspect after a timeout"
                : "") + ")";
    }

    private void fail(Pending p, String kind, String message) {
        errors.merge(kind, 1L, Long::sum);
        sink.fail(p.request, kind, message);
    }
}

package org.pnnedge.fleet.monitor;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes one batch of {@link Ingested} messages in one transaction: the rows of each table as one multi-row
 * {@code INSERT … SELECT FROM unnest(arrays)} with {@code ON CONFLICT DO NOTHING} (a redelivered message is a
 * duplicate key and skipped), the {@code device} rows (last seen, online, model) and {@code device_latest}. The
 * caller acknowledges the batch's MQTT messages only after {@link #write} returned, i.e. after the commit.
 */
final class IngestStore {
    /** What a committed batch did. */
    record Written(int inserted, int duplicates) {
    }

    private final Set<LocalDate> daysReady = new HashSet<>();

    /** Forgets which partitions exist (after a reconnect: another worker may have dropped some). */
    void reset() {
        daysReady.clear();
    }

    Written write(Connection c, List<Ingested> batch, Function<String, String> fleetOf) throws SQLException {
        c.setAutoCommit(false);
        try {
            Set<LocalDate> days = new HashSet<>();
            for (Ingested m : batch) {
                days.add(LocalDate.ofInstant(m.partitionTime(), ZoneOffset.UTC));
            }
            days.removeAll(daysReady);
            if (!days.isEmpty()) {
                MonitorSchema.ensureDays(c, days);
            }
            upsertDevices(c, batch, fleetOf);
            int inserted = telemetry(c, batch) + ota(c, batch) + recal(c, batch) + status(c, batch);
            latest(c, batch);
            c.commit();
            daysReady.addAll(days);
            return new Written(inserted, batch.size() - inserted);
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the caller reconnects
            }
            throw e;
        }
    }

    private record DeviceSeen(String fleet, Instant seen, Boolean online, String model, String version) {
    }

    private static void upsertDevices(Connection c, List<Ingested> batch, Function<String, String> fleetOf)
            throws SQLException {
        Map<String, DeviceSeen> seen = new LinkedHashMap<>();
        for (Ingested m : batch) {
            DeviceSeen old = seen.getOrDefault(m.device(), new DeviceSeen(fleetOf.apply(m.device()), null, null, null, null));
            DeviceSeen now = switch (m) {
                case Ingested.Telemetry t -> new DeviceSeen(old.fleet(), max(old.seen(), t.ts()), old.online(),
                        or(t.model(), old.model()), or(t.modelVersion(), old.version()));
                case Ingested.Status s -> s.state().equals("online")
                        ? new DeviceSeen(old.fleet(), max(old.seen(), s.received()), true, or(s.model(), old.model()),
                                or(s.modelVersion(), old.version()))
                        : new DeviceSeen(old.fleet(), old.seen(), false, old.model(), old.version());
                case Ingested.Ota o -> o.isFinal() && o.activeVersion() != null
                        ? new DeviceSeen(old.fleet(), max(old.seen(), o.ts()), old.online(), or(o.activeModel(), old.model()),
                                o.activeVersion())
                        : new DeviceSeen(old.fleet(), max(old.seen(), o.ts()), old.online(), old.model(), old.version());
                case Ingested.Recal r -> new DeviceSeen(old.fleet(), max(old.seen(), r.ts()), old.online(), old.model(),
                        old.version());
            };
            seen.put(m.device(), now);
        }
        List<String> ids = new ArrayList<>(seen.keySet());
        try (PreparedStatement p = c.prepareStatement("INSERT INTO device AS d (device_id, fleet, last_seen, model, "
                + "model_version) SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[]) "
                + "ON CONFLICT (device_id) DO UPDATE SET fleet = EXCLUDED.fleet, "
                + "last_seen = GREATEST(d.last_seen, EXCLUDED.last_seen), "
                + "model = COALESCE(EXCLUDED.model, d.model), model_version = COALESCE(EXCLUDED.model_version, d.model_version)")) {
            p.setArray(1, c.createArrayOf("text", ids.toArray()));
            p.setArray(2, c.createArrayOf("text", ids.stream().map(i -> seen.get(i).fleet()).toArray()));
            p.setArray(3, times(c, ids.stream().map(i -> seen.get(i).seen()).toList()));
            p.setArray(4, c.createArrayOf("text", ids.stream().map(i -> seen.get(i).model()).toArray()));
            p.setArray(5, c.createArrayOf("text", ids.stream().map(i -> seen.get(i).version()).toArray()));
            p.executeUpdate();
        }
        List<String> changed = ids.stream().filter(i -> seen.get(i).online() != null).toList();
        if (!changed.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement("UPDATE device SET online = u.online FROM "
                    + "unnest(?::text[], ?::boolean[]) AS u(id, online) WHERE device.device_id = u.id")) {
                p.setArray(1, c.createArrayOf("text", changed.toArray()));
                p.setArray(2, c.createArrayOf("bool", changed.stream().map(i -> seen.get(i).online()).toArray()));
                p.executeUpdate();
            }
        }
    }

    private static int telemetry(Connection c, List<Ingested> batch) throws SQLException {
        List<Ingested.Telemetry> t = of(batch, Ingested.Telemetry.class);
        if (t.isEmpty()) {
            return 0;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO telemetry (device_id, ts, seq, received, model, "
                + "model_version, drift, accuracy, errors_total, inferences, inferences_per_s, latency_p95_ms, "
                + "outbox_dropped, body) SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::bigint[], "
                + "?::timestamptz[], ?::text[], ?::text[], ?::float8[], ?::float8[], ?::bigint[], ?::bigint[], "
                + "?::float8[], ?::float8[], ?::bigint[], ?::jsonb[]) ON CONFLICT DO NOTHING")) {
            p.setArray(1, c.createArrayOf("text", t.stream().map(Ingested.Telemetry::device).toArray()));
            p.setArray(2, times(c, t.stream().map(Ingested.Telemetry::ts).toList()));
            p.setArray(3, c.createArrayOf("int8", t.stream().map(Ingested.Telemetry::seq).toArray()));
            p.setArray(4, times(c, t.stream().map(Ingested.Telemetry::received).toList()));
            p.setArray(5, c.createArrayOf("text", t.stream().map(Ingested.Telemetry::model).toArray()));
            p.setArray(6, c.createArrayOf("text", t.stream().map(Ingested.Telemetry::modelVersion).toArray()));
            p.setArray(7, c.createArrayOf("float8", t.stream().map(Ingested.Telemetry::drift).toArray()));
            p.setArray(8, c.createArrayOf("float8", t.stream().map(Ingested.Telemetry::accuracy).toArray()));
            p.setArray(9, c.createArrayOf("int8", t.stream().map(Ingested.Telemetry::errorsTotal).toArray()));
            p.setArray(10, c.createArrayOf("int8", t.stream().map(Ingested.Telemetry::inferences).toArray()));
            p.setArray(11, c.createArrayOf("float8", t.stream().map(Ingested.Telemetry::inferencesPerS).toArray()));
            p.setArray(12, c.createArrayOf("float8", t.stream().map(Ingested.Telemetry::latencyP95Ms).toArray()));
            p.setArray(13, c.createArrayOf("int8", t.stream().map(Ingested.Telemetry::outboxDropped).toArray()));
            p.setArray(14, c.createArrayOf("text", t.stream().map(Ingested.Telemetry::body).toArray()));
            return p.executeUpdate();
        }
    }

    private static int ota(Connection c, List<Ingested> batch) throws SQLException {
        List<Ingested.Ota> o = of(batch, Ingested.Ota.class);
        if (o.isEmpty()) {
            return 0;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO ota_event (device_id, ts, step, received, update_id, "
                + "final, reason, version, active_version, body) SELECT * FROM unnest(?::text[], ?::timestamptz[], "
                + "?::text[], ?::timestamptz[], ?::text[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::jsonb[]) "
                + "ON CONFLICT DO NOTHING")) {
            p.setArray(1, c.createArrayOf("text", o.stream().map(Ingested.Ota::device).toArray()));
            p.setArray(2, times(c, o.stream().map(Ingested.Ota::ts).toList()));
            p.setArray(3, c.createArrayOf("text", o.stream().map(Ingested.Ota::step).toArray()));
            p.setArray(4, times(c, o.stream().map(Ingested.Ota::received).toList()));
            p.setArray(5, c.createArrayOf("text", o.stream().map(Ingested.Ota::updateId).toArray()));
            p.setArray(6, c.createArrayOf("bool", o.stream().map(Ingested.Ota::isFinal).toArray()));
            p.setArray(7, c.createArrayOf("text", o.stream().map(Ingested.Ota::reason).toArray()));
            p.setArray(8, c.createArrayOf("text", o.stream().map(Ingested.Ota::version).toArray()));
            p.setArray(9, c.createArrayOf("text", o.stream().map(Ingested.Ota::activeVersion).toArray()));
            p.setArray(10, c.createArrayOf("text", o.stream().map(Ingested.Ota::body).toArray()));
            return p.executeUpdate();
        }
    }

    private static int recal(Connection c, List<Ingested> batch) throws SQLException {
        List<Ingested.Recal> r = of(batch, Ingested.Recal.class);
        if (r.isEmpty()) {
            return 0;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO recal_report (device_id, ts, received, trigger, "
                + "result, accuracy_before, accuracy_after, body) SELECT * FROM unnest(?::text[], ?::timestamptz[], "
                + "?::timestamptz[], ?::text[], ?::text[], ?::float8[], ?::float8[], ?::jsonb[]) ON CONFLICT DO NOTHING")) {
            p.setArray(1, c.createArrayOf("text", r.stream().map(Ingested.Recal::device).toArray()));
            p.setArray(2, times(c, r.stream().map(Ingested.Recal::ts).toList()));
            p.setArray(3, times(c, r.stream().map(Ingested.Recal::received).toList()));
            p.setArray(4, c.createArrayOf("text", r.stream().map(Ingested.Recal::trigger).toArray()));
            p.setArray(5, c.createArrayOf("text", r.stream().map(Ingested.Recal::result).toArray()));
            p.setArray(6, c.createArrayOf("float8", r.stream().map(Ingested.Recal::accuracyBefore).toArray()));
            p.setArray(7, c.createArrayOf("float8", r.stream().map(Ingested.Recal::accuracyAfter).toArray()));
            p.setArray(8, c.createArrayOf("text", r.stream().map(Ingested.Recal::body).toArray()));
            return p.executeUpdate();
        }
    }

    private static int status(Connection c, List<Ingested> batch) throws SQLException {
        List<Ingested.Status> s = of(batch, Ingested.Status.class);
        if (s.isEmpty()) {
            return 0;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO status_event (device_id, received, state, reason, "
                + "retained, body) SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::boolean[], "
                + "?::jsonb[])")) {
            p.setArray(1, c.createArrayOf("text", s.stream().map(Ingested.Status::device).toArray()));
            p.setArray(2, times(c, s.stream().map(Ingested.Status::received).toList()));
            p.setArray(3, c.createArrayOf("text", s.stream().map(Ingested.Status::state).toArray()));
            p.setArray(4, c.createArrayOf("text", s.stream().map(Ingested.Status::reason).toArray()));
            p.setArray(5, c.createArrayOf("bool", s.stream().map(Ingested.Status::retained).toArray()));
            p.setArray(6, c.createArrayOf("text", s.stream().map(Ingested.Status::body).toArray()));
            return p.executeUpdate();
        }
    }

    /** The newest telemetry of each device in the batch into {@code device_latest}, unless a newer one is there. */
    private static void latest(Connection c, List<Ingested> batch) throws SQLException {
        Map<String, Ingested.Telemetry> newest = new LinkedHashMap<>();
        for (Ingested.Telemetry t : of(batch, Ingested.Telemetry.class)) {
            newest.merge(t.device(), t, (a, b) -> b.ts().isAfter(a.ts()) ? b : a);
        }
        if (newest.isEmpty()) {
            return;
        }
        List<Ingested.Telemetry> t = new ArrayList<>(newest.values());
        try (PreparedStatement p = c.prepareStatement("INSERT INTO device_latest AS l (device_id, ts, drift, accuracy, "
                + "errors_total, inferences, latency_p95_ms) SELECT * FROM unnest(?::text[], ?::timestamptz[], "
                + "?::float8[], ?::float8[], ?::bigint[], ?::bigint[], ?::float8[]) ON CONFLICT (device_id) DO UPDATE SET "
                + "ts = EXCLUDED.ts, drift = EXCLUDED.drift, accuracy = EXCLUDED.accuracy, "
                + "errors_total = EXCLUDED.errors_total, inferences = EXCLUDED.inferences, "
                + "latency_p95_ms = EXCLUDED.latency_p95_ms WHERE EXCLUDED.ts >= l.ts")) {
            p.setArray(1, c.createArrayOf("text", t.stream().map(Ingested.Telemetry::device).toArray()));
            p.setArray(2, times(c, t.stream().map(Ingested.Telemetry::ts).toList()));
            p.setArray(3, c.createArrayOf("float8", t.stream().map(Ingested.Telemetry::drift).toArray()));
            p.setArray(4, c.createArrayOf("float8", t.stream().map(Ingested.Telemetry::accuracy).toArray()));
            p.setArray(5, c.createArrayOf("int8", t.stream().map(Ingested.Telemetry::errorsTotal).toArray()));
            p.setArray(6, c.createArrayOf("int8", t.stream().map(Ingested.Telemetry::inferences).toArray()));
            p.setArray(7, c.createArrayOf("float8", t.stream().map(Ingested.Telemetry::latencyP95Ms).toArray()));
            p.executeUpdate();
        }
    }

    private static <T> List<T> of(List<Ingested> batch, Class<T> kind) {
        return batch.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static Array times(Connection c, List<Instant> times) throws SQLException {
        return c.createArrayOf("timestamptz", times.stream().map(i -> i == null ? null : Timestamp.from(i)).toArray());
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}

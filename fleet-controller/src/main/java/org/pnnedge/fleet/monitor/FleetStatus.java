package org.pnnedge.fleet.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The fleet as the database knows it ({@code device} + {@code device_latest}): devices, online/offline, devices per
 * model version, last seen, drift/accuracy/error rate from the newest telemetry, and outliers. A device is an
 * outlier in a metric when its value exceeds {@code k} × the 95th percentile (nearest rank) of the <em>other</em>
 * devices' values — leaving the device out keeps one extreme unit from raising its own bar in a small fleet; a
 * metric needs at least {@link #MIN_FOR_OUTLIERS} devices reporting it.
 *
 * @param fleet     the fleet asked for, or empty for all
 * @param at        when this was read
 * @param devices   number of devices
 * @param online    how many of them are online
 * @param versions  devices per "model version" ({@code "-"} when unknown), sorted
 * @param driftP95  95th percentile of drift over the devices reporting it (null when none)
 * @param errorRateP95 95th percentile of errors_total / inferences (null when none)
 * @param k         the outlier factor
 * @param outliers  devices beyond their threshold
 * @param table     every device, sorted by id
 */
public record FleetStatus(String fleet, String at, int devices, int online, Map<String, Integer> versions,
                          Double driftP95, Double errorRateP95, double k, List<Outlier> outliers, List<Device> table) {
    public static final int MIN_FOR_OUTLIERS = 5;

    /** One device's row. */
    public record Device(String id, String fleet, boolean online, String model, String modelVersion, String lastSeen,
                         Double drift, Double accuracy, Double errorRate) {
        String version() {
            return (model == null ? "-" : model) + " " + (modelVersion == null ? "-" : modelVersion);
        }
    }

    /** A device beyond {@code threshold} in {@code metric} ("drift" or "error_rate"). */
    public record Outlier(String device, String metric, double value, double threshold) {
    }

    /** Reads the status of {@code fleet} (all fleets when empty). */
    public static FleetStatus read(Connection c, Optional<String> fleet, double k) throws SQLException {
        if (!(k > 0)) {
            throw new IllegalArgumentException("the outlier factor must be > 0, got " + k);
        }
        List<Device> table = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT d.device_id, d.fleet, d.online, d.model, d.model_version, "
                + "d.last_seen, l.drift, l.accuracy, l.errors_total, l.inferences FROM device d "
                + "LEFT JOIN device_latest l USING (device_id) WHERE (?::text IS NULL OR d.fleet = ?) ORDER BY d.device_id")) {
            q.setString(1, fleet.orElse(null));
            q.setString(2, fleet.orElse(null));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Timestamp seen = rs.getTimestamp(6);
                    long errors = rs.getLong(9);
                    boolean hasErrors = !rs.wasNull();
                    long inferences = rs.getLong(10);
                    boolean hasInferences = !rs.wasNull();
                    table.add(new Device(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                            rs.getString(5), seen == null ? null : seen.toInstant().toString(), dbl(rs, 7), dbl(rs, 8),
                            hasErrors && hasInferences && inferences > 0 ? (double) errors / inferences : null));
                }
            }
        }
        Map<String, Integer> versions = new TreeMap<>();
        table.forEach(d -> versions.merge(d.version(), 1, Integer::sum));
        List<Outlier> outliers = new ArrayList<>();
        Double driftP95 = outliers(table, "drift", Device::drift, k, outliers);
        Double errP95 = outliers(table, "error_rate", Device::errorRate, k, outliers);
        return new FleetStatus(fleet.orElse(""), Instant.now().toString(), table.size(),
                (int) table.stream().filter(Device::online).count(), new LinkedHashMap<>(versions), driftP95, errP95, k,
                outliers, table);
    }

    /** Adds the outliers of one metric; returns its fleet p95. */
    static Double outliers(List<Device> table, String metric, Function<Device, Double> f, double k, List<Outlier> out) {
        List<Device> with = table.stream().filter(d -> f.apply(d) != null).toList();
        if (with.isEmpty()) {
            return null;
        }
        double[] sorted = with.stream().mapToDouble(f::apply).sorted().toArray();
        double p95 = sorted[rank(sorted.length) - 1];
        if (sorted.length < MIN_FOR_OUTLIERS) {
            return p95;
        }
        int r = rank(sorted.length - 1); // nearest rank among the others
        for (Device d : with) {
            double v = f.apply(d);
            int pos = Arrays.binarySearch(sorted, v);
            while (pos > 0 && sorted[pos - 1] == v) {
                pos--;
            }
            double othersP95 = pos > r - 1 ? sorted[r - 1] : sorted[r];
            double threshold = othersP95 * k;
            if (v > threshold && v > 0) {
                out.add(new Outlier(d.id(), metric, v, threshold));
            }
        }
        return p95;
    }

    private static int rank(int n) {
        return Math.max(1, (int) Math.ceil(0.95 * n));
    }

    private static Double dbl(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }
}

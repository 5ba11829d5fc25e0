package org.pnnedge.fleet.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a stage's soak on the telemetry its switched devices sent during it, as the ingest workers stored it
 * ({@code telemetry}, migration V20): a device is unhealthy when its highest drift exceeds {@code maxDrift}, its
 * errors per inference over the soak exceed {@code maxErrorRate}, or its lowest accuracy estimate is below
 * {@code minAccuracy}. A device that sent nothing during the soak is "silent", not judged: without an ingest worker
 * the soak judges nothing, and says so.
 */
public final class SoakCheck {
    private SoakCheck() {
    }

    /** What a soak checks; a null bound is not checked. */
    public record Limits(Double maxDrift, Double maxErrorRate, Double minAccuracy) {
        public static Limits none() {
            return new Limits(null, null, null);
        }

        public boolean any() {
            return maxDrift != null || maxErrorRate != null || minAccuracy != null;
        }
    }

    /** One unhealthy device and why ("drift 0.41 > 0.30"). */
    public record Unhealthy(String device, String why) {
    }

    /** The judgment: devices with telemetry in the window, devices without, and the unhealthy ones. */
    public record Result(int judged, int silent, List<Unhealthy> unhealthy) {
    }

    private static final String SQL = """
            SELECT device_id, max(drift), min(accuracy),
                   (max(errors_total) - min(errors_total))::double precision
                       / nullif(max(inferences) - min(inferences), 0)
            FROM telemetry WHERE device_id = ANY(?) AND ts >= ? AND ts <= ?
            GROUP BY device_id ORDER BY device_id""";

    /** Judges {@code devices} on their telemetry between {@code from} and {@code to}. */
    public static Result judge(Connection c, List<String> devices, Instant from, Instant to, Limits l)
            throws SQLException {
        List<Unhealthy> bad = new ArrayList<>();
        int judged = 0;
        try (PreparedStatement q = c.prepareStatement(SQL)) {
            q.setArray(1, c.createArrayOf("text", devices.toArray()));
            q.setTimestamp(2, Timestamp.from(from));
            q.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    judged++;
                    String d = rs.getString(1);
                    Double drift = value(rs, 2);
                    Double accuracy = value(rs, 3);
                    Double errorRate = value(rs, 4);
                    if (l.maxDrift() != null && drift != null && drift > l.maxDrift()) {
                        bad.add(new Unhealthy(d, String.format("drift %.3g > %.3g", drift, l.maxDrift())));
                    } else if (l.maxErrorRate() != null && errorRate != null && errorRate > l.maxErrorRate()) {
                        bad.add(new Unhealthy(d, String.format("error rate %.3g > %.3g", errorRate, l.maxErrorRate())));
                    } else if (l.minAccuracy() != null && accuracy != null && accuracy < l.minAccuracy()) {
                        bad.add(new Unhealthy(d, String.format("accuracy %.3g < %.3g", accuracy, l.minAccuracy())));
                    }
                }
            }
        }
        return new Result(judged, devices.size() - judged, List.copyOf(bad));
    }

    private static Double value(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}

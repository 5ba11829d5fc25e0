package org.pnnedge.fleet.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One device's drift over time as an inline SVG drawn on the server (no script, works offline): the newest
 * {@link #MAX_POINTS} telemetry values of the last {@code window}, one polyline path scaled to the plot.
 */
public final class DriftPlot {
    static final int MAX_POINTS = 2000;
    private static final int W = 640;
    private static final int H = 220;
    private static final int PAD = 40;

    /** A point of the series. */
    public record Point(Instant ts, double drift) {
    }

    private DriftPlot() {
    }

    public static List<Point> read(Connection c, String device, Duration window) throws SQLException {
        List<Point> pts = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT ts, drift FROM (SELECT ts, drift FROM telemetry "
                + "WHERE device_id = ? AND ts > ? AND drift IS NOT NULL ORDER BY ts DESC LIMIT " + MAX_POINTS
                + ") x ORDER BY ts")) {
            q.setString(1, device);
            q.setTimestamp(2, Timestamp.from(Instant.now().minus(window)));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    pts.add(new Point(rs.getTimestamp(1).toInstant(), rs.getDouble(2)));
                }
            }
        }
        return pts;
    }

    /** The SVG element; with no points, a text saying so (and no path). */
    public static String svg(String device, List<Point> pts) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"drift-plot\" width=\"").append(W).append("\" height=\"")
                .append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\" aria-label=\"drift of ")
                .append(Html.esc(device)).append("\">");
        s.append("<rect x=\"0\" y=\"0\" width=\"").append(W).append("\" height=\"").append(H).append("\" fill=\"#fff\" stroke=\"#ccc\"/>");
        if (pts.isEmpty()) {
            s.append("<text x=\"").append(PAD).append("\" y=\"").append(H / 2).append("\">no drift reported</text></svg>");
            return s.toString();
        }
        long t0 = pts.get(0).ts().toEpochMilli();
        long t1 = Math.max(t0 + 1, pts.get(pts.size() - 1).ts().toEpochMilli());
        double max = pts.stream().mapToDouble(Point::drift).max().orElse(1);
        double top = max > 0 ? max * 1.1 : 1;
        StringBuilder d = new StringBuilder();
        for (Point p : pts) {
            double x = PAD + (W - 2.0 * PAD) * (p.ts().toEpochMilli() - t0) / (t1 - t0);
            double y = H - PAD - (H - 2.0 * PAD) * Math.max(0, p.drift()) / top;
            d.append(d.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        s.append("<line x1=\"").append(PAD).append("\" y1=\"").append(H - PAD).append("\" x2=\"").append(W - PAD)
                .append("\" y2=\"").append(H - PAD).append("\" stroke=\"#888\"/>");
        s.append("<path class=\"drift\" d=\"").append(d).append("\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>");
        s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%.4g</text>", PAD, top));
        s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">0</text>", H - PAD));
        s.append("<text x=\"").append(PAD).append("\" y=\"").append(H - 10).append("\" font-size=\"11\">")
                .append(Html.esc(pts.get(0).ts().toString())).append("</text>");
        s.append("<text x=\"").append(W - PAD).append("\" y=\"").append(H - 10).append("\" font-size=\"11\" text-anchor=\"end\">")
                .append(Html.esc(pts.get(pts.size() - 1).ts().toString())).append("</text>");
        s.append("</svg>");
        return s.toString();
    }
}

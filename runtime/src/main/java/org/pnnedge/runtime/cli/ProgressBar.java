package org.pnnedge.runtime.cli;

import java.io.PrintWriter;

/** A one-line progress bar on stderr for long work (characterization, training). */
final class ProgressBar {
    private final PrintWriter err;
    private final String label;
    private final long total;
    private long lastPrint;
    private int lastPercent = -1;

    ProgressBar(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
    }

    void update(long done, String detail) {
        int percent = (int) (100 * done / total);
        long now = System.nanoTime();
        // at most one line a second (or two per second on a terminal), and always the last one
        long interval = System.console() != null ? 500_000_000L : 1_000_000_000L;
        if (done < total && (percent == lastPercent || now - lastPrint < interval)) {
            return;
        }
        lastPercent = percent;
        lastPrint = now;
        int width = 30;
        int filled = (int) (width * done / total);
        err.printf((System.console() != null ? "\r" : "") + "%-14s [%s%s] %3d%% %d/%d %s", label, "#".repeat(filled), " ".repeat(width - filled), percent,
                done, total, detail == null ? "" : detail);
        if (done >= total || System.console() == null) {
            err.println();
        }
        err.flush();
    }
}

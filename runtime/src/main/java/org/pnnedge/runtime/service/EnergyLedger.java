package org.pnnedge.runtime.service;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.LinkEnergy;

/**
 * What each inference costs, in joules (physics.md, "Energy per inference"): the device's share (shots × energy per
 * shot: measured from the device's counters when it keeps them, else the {@link EnergyProfile} model), the link's
 * (bytes moved × energy per byte at the SPI clock) and the host's (this thread's CPU time × the Pi's per-core power).
 * Keeps a window of recent inferences for mean and p95 and a running total. {@link #begin}/{@link #end} bracket one
 * inference on the serving thread and allocate nothing; {@link #snapshot} allocates (telemetry interval). Thread-safe.
 */
public final class EnergyLedger {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /**
     * How an inference is priced.
     *
     * @param model             device energy model (used until, or unless, the device's counters say otherwise)
     * @param hostWattsPerCore  power one busy core of the host adds, W
     * @param linkJoulesPerByte energy of one byte over the link, J
     * @param hostName          the host's name in reports (e.g. "pi4")
     */
    public record Pricing(EnergyProfile model, double hostWattsPerCore, double linkJoulesPerByte, String hostName) {
        public Pricing {
            if (!(hostWattsPerCore >= 0) || !(linkJoulesPerByte >= 0)) {
                throw new IllegalArgumentException("energy prices must be >= 0");
            }
        }

        /** Prices with the SPI link of {@link LinkEnergy#SPI_3V3} at {@code spiClockHz}. */
        public static Pricing of(EnergyProfile model, double hostWattsPerCore, double spiClockHz, String hostName) {
            return new Pricing(model, hostWattsPerCore, 8 * LinkEnergy.SPI_3V3.joulesPerBit(spiClockHz), hostName);
        }
    }

    private final Pricing pricing;
    private final double[] device;
    private final double[] link;
    private final double[] host;
    private final double[] total;
    private int next;
    private int filled;
    private long inferences;
    private double totalJoules;
    private double devicePerShot;
    private boolean measured;
    private long cpuStart;
    private long bytesStart;

    public EnergyLedger(Pricing pricing, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must hold at least one inference");
        }
        this.pricing = pricing;
        this.device = new double[window];
        this.link = new double[window];
        this.host = new double[window];
        this.total = new double[window];
        this.devicePerShot = pricing.model().shotJoules();
    }

    public Pricing pricing() {
        return pricing;
    }

    /** CPU time of the calling thread, ns (wall time where the JVM cannot measure thread CPU time). */
    public static long cpuNanos() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Before an inference, on its thread: {@code linkBytes} = the link's byte counter now. Allocates nothing. */
    public void begin(long linkBytes) {
        cpuStart = cpuNanos();
        bytesStart = linkBytes;
    }

    /** After the inference that {@link #begin} opened, on the same thread; it took {@code shots} device shots. */
    public void end(long linkBytes, int shots) {
        double h = (cpuNanos() - cpuStart) * 1e-9 * pricing.hostWattsPerCore();
        double l = (linkBytes - bytesStart) * pricing.linkJoulesPerByte();
        record(shots, l, h);
    }

    private synchronized void record(int shots, double l, double h) {
        double d = shots * devicePerShot;
        device[next] = d;
        link[next] = l;
        host[next] = h;
        total[next] = d + l + h;
        next = (next + 1) % total.length;
        filled = Math.min(filled + 1, total.length);
        inferences++;
        totalJoules += d + l + h;
    }

    /**
     * The device's own figure: energy per shot from its counters (Δ slot energy / Δ shots over a telemetry interval).
     * From now on the device share is "measured".
     */
    public synchronized void measuredDevicePerShot(double joules) {
        if (!(joules >= 0) || Double.isInfinite(joules)) {
            throw new IllegalArgumentException("energy per shot must be a finite number >= 0, got " + joules);
        }
        devicePerShot = joules;
        measured = true;
    }

    /**
     * The ledger now.
     *
     * @param deviceSource  "measured" (the device's counters) or "modelled" (the energy model)
     * @param devicePerShot J per shot the device share uses
     * @param meanJoules    mean energy per inference over the window (device + link + host)
     * @param p95Joules     95th percentile over the window
     * @param totalJoules   every inference since start
     */
    public record Snapshot(String deviceSource, String profile, String host, double devicePerShot, long inferences,
                           int window, double meanJoules, double p95Joules, double deviceJoules, double linkJoules,
                           double hostJoules, double totalJoules) {
        /** The running total in kWh (Home Assistant's energy unit). */
        public double totalKilowattHours() {
            return totalJoules / 3.6e6;
        }
    }

    public synchronized Snapshot snapshot() {
        String source = measured ? "measured" : "modelled";
        if (filled == 0) {
            return new Snapshot(source, pricing.model().name(), pricing.hostName(), devicePerShot, inferences, 0,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, totalJoules);
        }
        double[] sorted = Arrays.copyOf(total, filled);
        Arrays.sort(sorted);
        int i95 = Math.max(0, Math.min(filled - 1, (int) Math.ceil(0.95 * filled) - 1));
        return new Snapshot(source, pricing.model().name(), pricing.hostName(), devicePerShot, inferences, filled,
                mean(total), sorted[i95], mean(device), mean(link), mean(host), totalJoules);
    }

    private double mean(double[] v) {
        double s = 0;
        for (int i = 0; i < filled; i++) {
            s += v[i];
        }
        return s / filled;
    }
}

package org.pnnedge.models.pnn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.twin.Twin;

/**
 * Where the physical layers of a forward pass run: on the device (physics-aware training, evaluation,
 * inference) or on a twin (in-silico training). Codes in, normalised outputs out.
 */
public sealed interface PhysicalLayers {
    int maxDac();

    int maxAdc();

    /** Runs layer {@code layer} (parameters {@code thetaCodes}) on {@code n} input code rows; y = codes / maxAdc. */
    void run(int layer, int[] thetaCodes, int[][] inCodes, int n, double[][] y);

    /**
     * Called by the trainer before epoch {@code epoch} (1-based) starts; only {@link AcrossSessions} acts on it
     * (it switches session), everywhere else nothing happens.
     */
    default void startEpoch(int epoch) {
    }

    /** Changes measured outputs in place before the network uses them (recalibration's output correction). */
    @FunctionalInterface
    interface OutputCorrector {
        void correct(int layer, double[][] y, int rows);
    }

    /**
     * The real thing, through the device link. Layer l uses parameter slot l; parameters load only when changed.
     * One row goes as a SHOT, more as a SHOT_BATCH.
     */
    final class OnDevice implements PhysicalLayers {
        private final DeviceLink link;
        private final OutputCorrector corrector;
        private final int[] one;
        private final DeviceInfo info;
        private final int[][] loaded;
        private final boolean[] isLoaded;
        private final Map<Integer, int[][][]> views = new HashMap<>();
        private int viewRows = -1;
        private int[][][] view;
        private long shots;

        public OnDevice(DeviceLink link) {
            this(link, null);
        }

        /** With {@code corrector} (may be null) applied to every measured output row. */
        public OnDevice(DeviceLink link, OutputCorrector corrector) {
            this.link = link;
            this.corrector = corrector;
            this.info = link.info();
            this.one = new int[info.outputs()];
            this.loaded = new int[info.slots()][info.params()];
            this.isLoaded = new boolean[info.slots()];
        }

        public long shots() {
            return shots;
        }

        @Override
        public int maxDac() {
            return info.maxDacCode();
        }

        @Override
        public int maxAdc() {
            return info.maxAdcCode();
        }

        @Override
        public void run(int layer, int[] thetaCodes, int[][] inCodes, int n, double[][] y) {
            if (!isLoaded[layer] || !java.util.Arrays.equals(loaded[layer], thetaCodes)) {
                load(layer, thetaCodes);
            }
            double inv = 1.0 / info.maxAdcCode();
            if (n == 1) {
                link.shot(layer, inCodes[0], one);
                for (int k = 0; k < info.outputs(); k++) {
                    y[0][k] = one[k] * inv;
                }
            } else {
                // SHOT_BATCH takes exactly n rows: keep one pair of row views per batch size
                int[][][] v = n == viewRows ? view : views(n);
                System.arraycopy(inCodes, 0, v[0], 0, n);
                link.shotBatch(layer, v[0], v[1]);
                for (int b = 0; b < n; b++) {
                    for (int k = 0; k < info.outputs(); k++) {
                        y[b][k] = v[1][b][k] * inv;
                    }
                }
            }
            if (corrector != null) {
                corrector.correct(layer, y, n);
            }
            shots += n;
        }

        /** Loads {@code thetaCodes} into slot {@code layer} now and remembers it. */
        public void load(int layer, int[] thetaCodes) {
            link.loadParams(layer, thetaCodes);
            // copy into the array sized at construction: no allocation per parameter change
            System.arraycopy(thetaCodes, 0, loaded[layer], 0, thetaCodes.length);
            isLoaded[layer] = true;
        }

        /** The row views for batch size {@code n}, created on first use (no capturing lambda per call). */
        private int[][][] views(int n) {
            int[][][] v = views.get(n);
            if (v == null) {
                v = new int[][][] {new int[n][], new int[n][info.outputs()]};
                views.put(n, v);
            }
            viewRows = n;
            view = v;
            return v;
        }

    }

    /** The twin's prediction instead of the device: in-silico training. */
    final class OnTwin implements PhysicalLayers {
        private final Twin twin;
        private final Twin.Workspace ws;
        private final int maxDac;
        private final int maxAdc;
        private final double[] x;
        private final double[] th;

        public OnTwin(Twin twin, int maxDac, int maxAdc) {
            this.twin = twin;
            this.ws = twin.newWorkspace();
            this.maxDac = maxDac;
            this.maxAdc = maxAdc;
            this.x = new double[twin.inputs()];
            this.th = new double[twin.params()];
        }

        @Override
        public int maxDac() {
            return maxDac;
        }

        @Override
        public int maxAdc() {
            return maxAdc;
        }

        @Override
        public void run(int layer, int[] thetaCodes, int[][] inCodes, int n, double[][] y) {
            for (int i = 0; i < th.length; i++) {
                th[i] = thetaCodes[i] / (double) maxDac;
            }
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = inCodes[b][i] / (double) maxDac;
                }
                twin.forward(x, th, y[b], ws);
            }
        }
    }

    /**
     * Physics-aware training across device sessions (domain randomisation over drift states): several links to
     * the same unit met at different times; epoch e runs on session (e − 1) mod N, so the trained parameters
     * cannot lean on one drift state. Before the first epoch (initialisation) the first session serves.
     */
    final class AcrossSessions implements PhysicalLayers {
        private final List<OnDevice> sessions;
        private OnDevice current;

        /** @param sessions the links, in rotation order; all of one kind of device with the same code ranges */
        public AcrossSessions(List<OnDevice> sessions) {
            if (sessions.isEmpty()) {
                throw new IllegalArgumentException("no sessions to train across");
            }
            for (OnDevice d : sessions) {
                if (d.maxDac() != sessions.get(0).maxDac() || d.maxAdc() != sessions.get(0).maxAdc()) {
                    throw new IllegalArgumentException("sessions differ in their DAC/ADC ranges: not one unit");
                }
            }
            this.sessions = List.copyOf(sessions);
            this.current = this.sessions.get(0);
        }

        /** The sessions in rotation order (each counts its own shots). */
        public List<OnDevice> sessions() {
            return sessions;
        }

        /** Index into {@link #sessions()} of the session in use now. */
        public int currentIndex() {
            return sessions.indexOf(current);
        }

        @Override
        public void startEpoch(int epoch) {
            if (epoch < 1) {
                throw new IllegalArgumentException("epochs count from 1, got " + epoch);
            }
            current = sessions.get((epoch - 1) % sessions.size());
        }

        @Override
        public int maxDac() {
            return current.maxDac();
        }

        @Override
        public int maxAdc() {
            return current.maxAdc();
        }

        @Override
        public void run(int layer, int[] thetaCodes, int[][] inCodes, int n, double[][] y) {
            current.run(layer, thetaCodes, inCodes, n, y);
        }
    }
}

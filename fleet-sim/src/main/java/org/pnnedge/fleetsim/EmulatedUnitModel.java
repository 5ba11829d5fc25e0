package org.pnnedge.fleetsim;

import java.util.List;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.nn.Loss;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnInference;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.twin.Twin;
import org.pnnedge.models.twin.TwinCodec;
import org.pnnedge.runtime.service.Answer;

/**
 * A simulated device's inference: the bundle's own network ({@link PnnInference}, the runtime's forward pass) run on
 * an emulated unit — the bundle's <b>twin</b> (the model of the physical layer the network was trained against)
 * stands in for the optics, every output scaled by the unit's gain (within ±3 %, like
 * {@link EmulatedUnitSelfTest}). A unit with dead channels reads 0 on every fourth output channel (k % 4 == 1),
 * the fault {@link EmulatedUnitSelfTest} gives a bad unit. So a good unit answers about as well as the bundle does
 * on its twin, a broken one badly, at the cost of the twin's arithmetic instead of an emulated device. Not
 * thread-safe: callers synchronise on the instance.
 */
final class EmulatedUnitModel {
    private final PnnInference inference;
    private final List<String> labels;
    private final String model;
    private final String version;
    private final String featureLayout;
    private final double[] probabilities;

    /**
     * @throws IllegalArgumentException when the bundle carries no twin (nothing to emulate the unit with)
     */
    EmulatedUnitModel(BundleManifest m, double gain, boolean deadChannels) {
        if (m.twin() == null || m.twin().isNull()) {
            throw new IllegalArgumentException("bundle " + m.modelId() + " " + m.version()
                    + " carries no twin: the simulator cannot emulate its physical layer");
        }
        PnnModel pnn = PnnBundles.model(m);
        Twin unit = new UnitTwin(TwinCodec.fromJson(m.twin()), gain, deadChannels);
        this.inference = new PnnInference(pnn, new PhysicalLayers.OnTwin(unit, m.device().maxDacCode(),
                m.device().maxAdcCode()));
        this.labels = pnn.labels();
        this.model = m.modelId();
        this.version = m.version().toString();
        this.featureLayout = m.featureLayout() == null ? "hz12" : m.featureLayout(); // as the runtime's engine
        this.probabilities = new double[labels.size()];
    }

    String version() {
        return version;
    }

    /** The runtime's answer shape ({@link Answer}); {@link IllegalArgumentException} for a bad feature vector. */
    Answer classify(double[] features) {
        long t0 = System.nanoTime();
        double[] logits = inference.logits(features);
        Loss.softmax(logits, probabilities, 1, logits.length);
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return new Answer(labels.get(best), best, probabilities[best], probabilities.clone(),
                (System.nanoTime() - t0) / 1e3, model + "@" + version, model, version, labels, featureLayout);
    }

    /** The twin's outputs as this unit reads them: its gain, dead channels, clipped to the ADC range. */
    private record UnitTwin(Twin twin, double gain, boolean dead) implements Twin {
        @Override
        public PhysicsKind kind() {
            return twin.kind();
        }

        @Override
        public int inputs() {
            return twin.inputs();
        }

        @Override
        public int params() {
            return twin.params();
        }

        @Override
        public int outputs() {
            return twin.outputs();
        }

        @Override
        public Workspace newWorkspace() {
            return twin.newWorkspace();
        }

        @Override
        public void forward(double[] x, double[] theta, double[] y, Workspace ws) {
            twin.forward(x, theta, y, ws);
            for (int k = 0; k < y.length; k++) {
                y[k] = dead && k % 4 == 1 ? 0 : Math.min(1, Math.max(0, gain * y[k]));
            }
        }

        @Override
        public void vjp(double[] dy, double[] dx, double[] dTheta, Workspace ws) {
            twin.vjp(dy, dx, dTheta, ws); // inference only: never asked for
        }
    }
}

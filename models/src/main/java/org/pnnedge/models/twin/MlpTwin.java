package org.pnnedge.models.twin;

import java.util.List;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.nn.Mlp;
import org.pnnedge.models.nn.MlpState;

/**
 * Black-box twin for physics whose form is unknown: an MLP from (x ‖ θ), mapped to [−1, 1], to y. Smooth
 * activations (GELU by default) keep its Jacobian — what physics-aware training uses — well behaved.
 * Also serves as the residual of a grey-box twin ({@link ResidualTwin}).
 */
public final class MlpTwin implements TrainableTwin {
    private final PhysicsKind kind;
    private final int inputs;
    private final int params;
    private final Mlp mlp;

    public MlpTwin(PhysicsKind kind, int inputs, int params, Mlp mlp) {
        if (mlp.inputSize() != inputs + params) {
            throw new IllegalArgumentException("MLP takes " + mlp.inputSize() + " inputs, twin needs " + (inputs + params));
        }
        this.kind = kind;
        this.inputs = inputs;
        this.params = params;
        this.mlp = mlp;
    }

    /** A fresh network with the given hidden widths and activation. */
    public static MlpTwin create(PhysicsKind kind, int inputs, int params, int outputs, int[] hidden,
                                 Activation activation, long seed) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = inputs + params;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = outputs;
        return new MlpTwin(kind, inputs, params, new Mlp(widths, activation, Activation.IDENTITY, seed));
    }

    public MlpState state() {
        return mlp.toState();
    }

    /** Scales the last layer (a residual starts small so the grey-box part leads). */
    void scaleOutput(double factor) {
        double[] w = mlp.weights(mlp.numLayers() - 1);
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
    }

    @Override
    public String type() {
        return "mlp";
    }

    @Override
    public PhysicsKind kind() {
        return kind;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int params() {
        return params;
    }

    @Override
    public int outputs() {
        return mlp.outputSize();
    }

    @Override
    public List<double[]> parameters() {
        return mlp.parameters();
    }

    @Override
    public MlpTwin copy() {
        return new MlpTwin(kind, inputs, params, mlp.copy());
    }

    static final class Ws implements Workspace {
        final Mlp.Workspace net;
        final double[] in;

        Ws(Mlp mlp) {
            net = mlp.newWorkspace(1);
            in = new double[mlp.inputSize()];
        }
    }

    @Override
    public Workspace newWorkspace() {
        return new Ws(mlp);
    }

    @Override
    public void forward(double[] x, double[] theta, double[] y, Workspace workspace) {
        Ws w = (Ws) workspace;
        for (int i = 0; i < inputs; i++) {
            w.in[i] = 2 * x[i] - 1;
        }
        for (int i = 0; i < params; i++) {
            w.in[inputs + i] = 2 * theta[i] - 1;
        }
        double[] out = mlp.forward(w.net, w.in, 1);
        System.arraycopy(out, 0, y, 0, y.length);
    }

    @Override
    public void vjp(double[] dy, double[] dx, double[] dTheta, Workspace ws) {
        split(mlp.backward(((Ws) ws).net, dy, false), dx, dTheta);
    }

    @Override
    public void backward(double[] dy, double[] dx, double[] dTheta, Workspace ws) {
        split(mlp.backward(((Ws) ws).net, dy, true), dx, dTheta);
    }

    private void split(double[] g, double[] dx, double[] dTheta) {
        // the input map u -> 2u - 1 contributes a factor 2
        if (dx != null) {
            for (int i = 0; i < inputs; i++) {
                dx[i] = 2 * g[i];
            }
        }
        if (dTheta != null) {
            for (int i = 0; i < params; i++) {
                dTheta[i] = 2 * g[inputs + i];
            }
        }
    }

    @Override
    public List<double[]> gradients(Workspace ws) {
        return ((Ws) ws).net.gradients();
    }

    @Override
    public void zeroGradients(Workspace ws) {
        ((Ws) ws).net.zeroGradients();
    }

    /** Output biases start at the data's mean so the network only has to learn the variation. */
    @Override
    public void initialise(double[][] x, double[][] theta, double[][] y, int[] rows, int n) {
        double[] b = mlp.biases(mlp.numLayers() - 1);
        java.util.Arrays.fill(b, 0);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < b.length; k++) {
                b[k] += y[rows[r]][k] / n;
            }
        }
    }
}

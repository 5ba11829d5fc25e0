package org.pnnedge.models.twin;

import java.util.ArrayList;
import java.util.List;

import org.pnnedge.bridge.PhysicsKind;

/**
 * Grey-box twin plus a small MLP residual: y = base(x, θ) + residual(x, θ). The physics' form carries the
 * gradient structure; the residual mops up what the form does not capture. Both are fitted together.
 */
public final class ResidualTwin implements TrainableTwin {
    private final TrainableTwin base;
    private final MlpTwin residual;

    public ResidualTwin(TrainableTwin base, MlpTwin residual) {
        if (base.inputs() != residual.inputs() || base.params() != residual.params()
                || base.outputs() != residual.outputs()) {
            throw new IllegalArgumentException("residual shape differs from the base twin's");
        }
        this.base = base;
        this.residual = residual;
    }

    /** A residual whose output starts near zero, so the fit begins from the base twin. */
    public static ResidualTwin of(TrainableTwin base, MlpTwin freshResidual) {
        freshResidual.scaleOutput(0.01);
        return new ResidualTwin(base, freshResidual);
    }

    public TrainableTwin base() {
        return base;
    }

    public MlpTwin residual() {
        return residual;
    }

    @Override
    public String type() {
        return base.type() + "+mlp";
    }

    @Override
    public PhysicsKind kind() {
        return base.kind();
    }

    @Override
    public int inputs() {
        return base.inputs();
    }

    @Override
    public int params() {
        return base.params();
    }

    @Override
    public int outputs() {
        return base.outputs();
    }

    @Override
    public List<double[]> parameters() {
        List<double[]> l = new ArrayList<>(base.parameters());
        l.addAll(residual.parameters());
        return l;
    }

    @Override
    public ResidualTwin copy() {
        return new ResidualTwin(base.copy(), residual.copy());
    }

    private record Ws(Workspace base, Workspace residual, double[] r, double[] dx, double[] dTheta,
                      List<double[]> grads) implements Workspace {
    }

    @Override
    public Workspace newWorkspace() {
        Workspace b = base.newWorkspace();
        Workspace r = residual.newWorkspace();
        List<double[]> g = new ArrayList<>(base.gradients(b));
        g.addAll(residual.gradients(r));
        return new Ws(b, r, new double[outputs()], new double[inputs()], new double[params()], List.copyOf(g));
    }

    @Override
    public void forward(double[] x, double[] theta, double[] y, Workspace workspace) {
        Ws w = (Ws) workspace;
        base.forward(x, theta, y, w.base);
        residual.forward(x, theta, w.r, w.residual);
        for (int k = 0; k < y.length; k++) {
            y[k] += w.r[k];
        }
    }

    @Override
    public void vjp(double[] dy, double[] dx, double[] dTheta, Workspace workspace) {
        Ws w = (Ws) workspace;
        base.vjp(dy, dx, dTheta, w.base);
        residual.vjp(dy, w.dx, w.dTheta, w.residual);
        add(dx, dTheta, w);
    }

    @Override
    public void backward(double[] dy, double[] dx, double[] dTheta, Workspace workspace) {
        Ws w = (Ws) workspace;
        base.backward(dy, dx, dTheta, w.base);
        residual.backward(dy, w.dx, w.dTheta, w.residual);
        add(dx, dTheta, w);
    }

    private static void add(double[] dx, double[] dTheta, Ws w) {
        if (dx != null) {
            for (int i = 0; i < dx.length; i++) {
                dx[i] += w.dx[i];
            }
        }
        if (dTheta != null) {
            for (int i = 0; i < dTheta.length; i++) {
                dTheta[i] += w.dTheta[i];
            }
        }
    }

    @Override
    public List<double[]> gradients(Workspace ws) {
        return ((Ws) ws).grads;
    }

    @Override
    public void zeroGradients(Workspace ws) {
        Ws w = (Ws) ws;
        base.zeroGradients(w.base);
        residual.zeroGradients(w.residual);
    }

    @Override
    public void project() {
        base.project();
        residual.project();
    }

    @Override
    public void initialise(double[][] x, double[][] theta, double[][] y, int[] rows, int n) {
        base.initialise(x, theta, y, rows, n);
    }
}

package org.pnnedge.models.twin;

import org.pnnedge.bridge.PhysicsKind;

/**
 * A differentiable model of one physical layer: normalised inputs x ∈ [0,1]^inputs and parameters
 * θ ∈ [0,1]^params (DAC code / max code) to normalised outputs y (ADC code / max code). Physics-aware
 * training runs the forward pass on the device and uses a twin's vector-Jacobian product for the backward
 * pass, so {@link #vjp} matters more than a low forward error.
 *
 * <p>Thread confinement: the workspace carries the state of the last forward pass; use one workspace per
 * thread. A twin's own calibration is immutable once fitted (see {@link TrainableTwin} for fitting).
 */
public interface Twin {
    PhysicsKind kind();

    int inputs();

    int params();

    int outputs();

    /** A workspace sized for this twin; allocate once, reuse for every call. */
    Workspace newWorkspace();

    /** y = f(x, θ); remembers what {@link #vjp} needs in {@code ws}. Allocates nothing. */
    void forward(double[] x, double[] theta, double[] y, Workspace ws);

    /**
     * Given dL/dy at the point of the last {@link #forward} on {@code ws}, writes dL/dx into {@code dx} and
     * dL/dθ into {@code dTheta} (either may be null when not needed). Allocates nothing.
     */
    void vjp(double[] dy, double[] dx, double[] dTheta, Workspace ws);

    /** Marker for per-twin scratch state. */
    interface Workspace {
    }
}

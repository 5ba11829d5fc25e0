package org.pnnedge.models.twin;

import org.pnnedge.bridge.PhysicsKind;

/**
 * y = x: the physical layer replaced by a wire. Used for the ablation that shows what the physics
 * contributes (same pipeline, same digital operations, no physical transformation).
 */
public final class IdentityTwin implements Twin {
    private final int channels;
    private final int params;

    public IdentityTwin(int channels, int params) {
        this.channels = channels;
        this.params = params;
    }

    @Override
    public PhysicsKind kind() {
        return null;
    }

    @Override
    public int inputs() {
        return channels;
    }

    @Override
    public int params() {
        return params;
    }

    @Override
    public int outputs() {
        return channels;
    }

    private static final Workspace NONE = new Workspace() {
    };

    @Override
    public Workspace newWorkspace() {
        return NONE;
    }

    @Override
    public void forward(double[] x, double[] theta, double[] y, Workspace ws) {
        System.arraycopy(x, 0, y, 0, channels);
    }

    @Override
    public void vjp(double[] dy, double[] dx, double[] dTheta, Workspace ws) {
        if (dx != null) {
            System.arraycopy(dy, 0, dx, 0, channels);
        }
        if (dTheta != null) {
            java.util.Arrays.fill(dTheta, 0);
        }
    }
}

/**
 * Digital twins of one physical layer ({@link org.pnnedge.models.twin.Twin}: forward and vector-Jacobian product):
 * grey-box SHG, MLP, residual and identity twins, fitting them to a characterization
 * ({@link org.pnnedge.models.twin.TwinFitter}), gradient fidelity, and the twin file
 * ({@link org.pnnedge.models.twin.TwinCodec}).
 *
 * <p><b>May import</b> {@code characterize}, {@code nn} and the root package ({@code CodeVersion}, for provenance).
 */
package org.pnnedge.models.twin;

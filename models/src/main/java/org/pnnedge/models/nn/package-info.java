/**
 * Pure-Java neural-network pieces shared by twins, the PNN readout and the digital baselines: the
 * {@link org.pnnedge.models.nn.Mlp}, activations, losses, {@link org.pnnedge.models.nn.Adam}, learning-rate
 * schedules and the seeded minibatch {@link org.pnnedge.models.nn.Shuffle}.
 *
 * <p><b>May import</b> no other models package.
 */
package org.pnnedge.models.nn;

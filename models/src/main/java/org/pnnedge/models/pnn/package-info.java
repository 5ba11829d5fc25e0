/**
 * The physical neural network: its shape ({@link org.pnnedge.models.pnn.PnnArchitecture},
 * {@link org.pnnedge.models.pnn.LayerOps}), the forward and physics-aware backward pass
 * ({@code PnnPass}), training ({@link org.pnnedge.models.pnn.PnnTrainer}), the runtime's
 * single-sample inference ({@link org.pnnedge.models.pnn.PnnInference}) and the network section of a bundle
 * ({@link org.pnnedge.models.pnn.PnnBundles}).
 *
 * <p><b>May import</b> {@code bundle}, {@code nn} and {@code twin}.
 */
package org.pnnedge.models.pnn;

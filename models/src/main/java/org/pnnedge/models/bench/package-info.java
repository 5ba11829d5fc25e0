/**
 * Benchmarks that compare methods on one task: physics-aware training, in-silico training, the physics-ablated
 * network and digital baselines, on the vowels, over depth and for hybrid MNIST networks (BENCHMARKS.md).
 *
 * <p><b>May import</b> {@code data}, {@code nn}, {@code pnn} and {@code twin}; nothing in models imports it.
 */
package org.pnnedge.models.bench;

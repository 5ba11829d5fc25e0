/**
 * The optical PNN of Wright et al. (2022): pulse shaper, χ(2) second-harmonic generation, spectrometer
 * (physics.md, "shg"). The emulator's ground truth; the digital twin in module models never sees it.
 *
 * <p><b>May import</b> {@code emulator.physics} and the API package.
 */
package org.pnnedge.bridge.emulator.physics.shg;

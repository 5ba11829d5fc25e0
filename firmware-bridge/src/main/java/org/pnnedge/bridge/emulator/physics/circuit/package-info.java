/**
 * The low-power analog board: DAC waveform, nonlinear RLC/diode circuit, ADC (physics.md, "circuit"). The
 * emulator's ground truth; the digital twin in module models never sees it.
 *
 * <p><b>May import</b> {@code emulator.physics} and the API package.
 */
package org.pnnedge.bridge.emulator.physics.circuit;

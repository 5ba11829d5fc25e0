/**
 * Measuring a device for twin fitting: {@link org.pnnedge.models.characterize.Characterizer} shoots (inputs,
 * parameters) through a device link and records outputs and shot noise as a
 * {@link org.pnnedge.models.characterize.Characterization} (its file format is in models.md).
 *
 * <p><b>May import</b> no other models package (only the firmware-bridge's device API).
 */
package org.pnnedge.models.characterize;

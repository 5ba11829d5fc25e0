/**
 * The running edge service ({@code pnn run}) put together: {@link org.pnnedge.runtime.edge.EdgeService} starts and
 * stops the parts, {@code EdgeWiring} builds them from {@link org.pnnedge.runtime.config.EdgeConfig},
 * {@code ControlOps} is the one set of operations both the control socket
 * ({@link org.pnnedge.runtime.edge.ControlServer}, whose idle clients {@code IdleBound} disconnects) and MQTT
 * commands reach, {@code MeasuredClassify} its classify of a measured vowel ({@code Measurement}: formants in Hz,
 * F0, a talker; {@code Talkers}: the talkers' running estimates), {@code StatusReport} the status and telemetry
 * JSON, {@code Recalibration} the periodic and commanded recalibration.
 *
 * <p>Imports: every runtime package below it ({@code config}, {@code service}, {@code device}, {@code io},
 * {@code ota}, {@code recal}, {@code mqtt}) and the bridge's {@code net} (the control socket's bounded accept loop);
 * only {@code cli} and {@code demo} import it.
 */
package org.pnnedge.runtime.edge;

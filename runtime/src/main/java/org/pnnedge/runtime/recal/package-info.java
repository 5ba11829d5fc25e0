/**
 * Recalibration of a served PNN against device drift: reference probes and fresh shots are measured, an
 * output correction is fitted without labels and validated, the twin is refitted, and the result is adopted
 * and persisted, or an alarm asks for retraining. See {@code src/site/markdown/recalibration.md}.
 *
 * <p><b>Concurrency contract.</b> A {@link org.pnnedge.bridge.DeviceLink} is not thread-safe. The service
 * holds one fair lock per device around every inference and hands the same lock to the
 * {@link org.pnnedge.runtime.recal.Recalibrator} as {@link org.pnnedge.runtime.device.DeviceAccess#locked}.
 * The recalibrator holds it only for its device phases (dark level, each probe, each fresh parameter set),
 * never during the correction fit or the twin refit, so inference pauses at most one phase at a time; the
 * pause is measured and reported.
 *
 * <p>Imports: the JDK, {@code org.pnnedge.bridge}, {@code org.pnnedge.models}, and {@code runtime.io},
 * {@code runtime.device} and {@code runtime.service} (for {@code OutputCorrection}); the caller installs the
 * outcome, so this package does not know the service.
 */
package org.pnnedge.runtime.recal;

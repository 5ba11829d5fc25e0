/**
 * Shared use of the one device: {@link org.pnnedge.runtime.device.DeviceAccess} hands the device link to work that
 * runs beside inference (OTA self-tests, recalibration) under the same lock the service holds for every inference.
 *
 * <p>Imports: the JDK and {@code org.pnnedge.bridge}; no other runtime package.
 */
package org.pnnedge.runtime.device;

/**
 * The port between the protocol and a physical link, {@link org.pnnedge.bridge.transport.Transport}: moves whole
 * frames and pulses RESET, knowing nothing of what the frames mean. Implementations live in the subpackages.
 *
 * <p><b>May import</b> nothing of the bridge (it sits beside {@code protocol} at the bottom).
 */
package org.pnnedge.bridge.transport;

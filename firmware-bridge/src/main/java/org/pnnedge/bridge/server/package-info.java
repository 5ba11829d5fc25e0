/**
 * The TCP device bridge: exposes any {@link org.pnnedge.bridge.transport.Transport} on a TCP port, relaying frames
 * untouched and answering LINE_RESET itself (protocol.md, "TCP bridge").
 *
 * <p><b>May import</b> {@code protocol} and {@code transport}.
 */
package org.pnnedge.bridge.server;

/**
 * The TCP device bridge: exposes any {@link org.pnnedge.bridge.transport.Transport} on a TCP port, relaying frames
 * untouched and answering LINE_RESET itself (protocol.md, "TCP bridge"): who may connect (mutual TLS or loopback),
 * per-client bounds, and fair turns on the device between clients.
 *
 * <p><b>May import</b> {@code protocol}, {@code transport}, {@code tls} and {@code net} (the bounded accept loop).
 */
package org.pnnedge.bridge.server;

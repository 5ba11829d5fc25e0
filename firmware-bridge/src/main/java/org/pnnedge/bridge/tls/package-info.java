/**
 * Mutual TLS for the TCP device bridge (protocol.md, "Authentication"): PEM certificate, key and CA files read with
 * the JDK alone, and the TLS 1.3 contexts of server and client. Below everything that opens sockets.
 *
 * <p><b>May import</b> nothing else of the bridge.
 */
package org.pnnedge.bridge.tls;

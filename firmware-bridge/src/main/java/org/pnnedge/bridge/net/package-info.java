/**
 * What the project's servers share around their sockets, whatever the socket: the accept loop with a bound on
 * connected clients ({@link org.pnnedge.bridge.net.BoundedAcceptor}) and a warning logged at most once per interval
 * ({@link org.pnnedge.bridge.net.RateLimitedLog}). Used by the TCP device bridge ({@code server}), the host's protocol link
 * (its RESET and reload warnings) and the runtime's control socket.
 *
 * <p><b>May import</b> nothing of the bridge (tinylog only).
 */
package org.pnnedge.bridge.net;

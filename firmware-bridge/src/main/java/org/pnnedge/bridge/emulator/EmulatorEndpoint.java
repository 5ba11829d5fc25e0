package org.pnnedge.bridge.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.pnnedge.bridge.DeviceAddress;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceEndpoint;
import org.pnnedge.bridge.transport.Transport;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/** An emulated device in this process ({@code emulator:} URIs); each open builds a fresh device. */
public record EmulatorEndpoint(EmulatorConfig config) implements DeviceEndpoint {
    @Override
    public String uri() {
        return "emulator:" + config.kind().id() + "?seed=" + config.seed() + session("&session=");
    }

    private String session(String prefix) {
        return config.session() == 0 ? "" : prefix + config.session();
    }

    /** How a link names this device in its messages, e.g. {@code emulator:shg seed 1}. */
    public String describe() {
        return "emulator:" + config.kind().id() + " seed " + config.seed() + session(" session ");
    }

    @Override
    public Transport open(DeviceContext context) {
        return new InProcessTransport(new EmulatedDevice(config), describe());
    }

    /** Whether {@code uri} names an emulated device (scheme {@code emulator:}, any case). */
    public static boolean isEmulatorUri(String uri) {
        return uri != null && uri.trim().regionMatches(true, 0, "emulator:", 0, "emulator:".length());
    }

    /**
     * Which session of its unit an emulator URI names: its {@code session=} value, or 0 when it has none. Read by
     * the one parser every device URI goes through ({@link DeviceAddress#parse}), so it is refused as opening it
     * would be.
     *
     * @throws IllegalArgumentException when {@code uri} is not an emulator URI or not a valid one (e.g. its session
     *                                  is not a whole number or is negative)
     */
    public static long sessionOf(String uri) {
        return ((EmulatorEndpoint) DeviceAddress.parse(requireEmulator(uri)).endpoint()).config().session();
    }

    /**
     * Whether an emulator URI names its session: a {@code session=} parameter (any case, {@code session=0} too), as
     * against leaving it open. A caller that gives each run its own session ({@link #sessionUri}) keeps one the user
     * named. Checked by the same parser as {@link #sessionOf}, so a URI that would not open is refused here.
     *
     * @throws IllegalArgumentException when {@code uri} is not an emulator URI or not a valid one
     */
    public static boolean namesSession(String uri) {
        sessionOf(uri);
        for (String pair : split(uri)[1].split("&", -1)) {
            if (isSession(pair)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The URI of session {@code session} of the unit {@code uri} names: the same URI with its {@code session=}
     * value replaced in place, or {@code &session=N} appended (every other parameter is kept as written, so the
     * sessions of one unit differ only there). Session 0 is written out too: it is the fresh device.
     *
     * @throws IllegalArgumentException when {@code uri} is not an emulator URI or {@code session} is negative
     */
    public static String sessionUri(String uri, long session) {
        if (session < 0) {
            throw new IllegalArgumentException("session must be >= 0, got " + session);
        }
        String[] parts = split(uri);
        if (parts[1].isEmpty()) {
            return parts[0] + "?session=" + session;
        }
        StringBuilder q = new StringBuilder();
        boolean replaced = false;
        for (String pair : parts[1].split("&", -1)) {
            if (!q.isEmpty()) {
                q.append('&');
            }
            if (isSession(pair)) {
                if (replaced) {
                    throw new IllegalArgumentException("query parameter 'session' given twice in '" + uri + "'");
                }
                q.append(pair, 0, pair.indexOf('=') + 1).append(session);
                replaced = true;
            } else {
                q.append(pair);
            }
        }
        if (!replaced) {
            q.append(q.isEmpty() || q.charAt(q.length() - 1) == '&' ? "" : "&").append("session=").append(session);
        }
        return parts[0] + "?" + q;
    }

    /** {base, query} of an emulator URI (query without the '?', possibly empty). */
    private static String[] split(String uri) {
        String s = requireEmulator(uri).trim();
        int q = s.indexOf('?');
        return q < 0 ? new String[] {s, ""} : new String[] {s.substring(0, q), s.substring(q + 1)};
    }

    /** {@code uri} itself, or the named refusal when it is not an emulator URI. */
    private static String requireEmulator(String uri) {
        if (!isEmulatorUri(uri)) {
            throw new IllegalArgumentException("'" + uri + "' is not an emulated device (emulator:...): only an "
                    + "emulator has other sessions on demand; a real device is in one session at a time");
        }
        return uri;
    }

    private static boolean isSession(String pair) {
        int eq = pair.indexOf('=');
        return eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)
                .equals("session");
    }
}

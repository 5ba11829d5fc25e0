package org.pnnedge.bridge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a device is and how patient to be with it, parsed from a device URI {@code scheme:rest?key=value&...}.
 * The scheme picks a {@link DeviceProvider} (found by {@link java.util.ServiceLoader}); the bridge ships
 * <ul>
 * <li>{@code spi:<bus>.<cs>?baud=10000000&ready=24&reset=25&mode=0} — Pi4J SPI + GPIO on a Raspberry Pi</li>
 * <li>{@code tcp://host:port} — a device bridge in another process ({@code pnn emulate}, {@code pnn device serve})</li>
 * <li>{@code emulator:<shg|circuit>?seed=N&noise=off&mismatch=off&drift=off&timing=zero&...} — in-process emulator</li>
 * </ul>
 * Every form also takes link options {@code timeout=<ms>} and {@code retries=<n>}.
 *
 * @param endpoint what the scheme's provider parsed (e.g. {@code SpiEndpoint}, {@code EmulatorEndpoint})
 * @param options  the link options
 */
public record DeviceAddress(DeviceEndpoint endpoint, LinkOptions options) {
    public DeviceAddress {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
    }

    /** The URI this address was parsed from, normalised. */
    public String uri() {
        return endpoint.uri();
    }

    /** @throws IllegalArgumentException naming the URI and what is wrong with it */
    public static DeviceAddress parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        String s = uri.trim();
        int q = s.indexOf('?');
        String base = q < 0 ? s : s.substring(0, q);
        int colon = base.indexOf(':');
        DeviceProvider provider = colon <= 0 ? null
                : DeviceProviders.forScheme(base.substring(0, colon).toLowerCase(Locale.ROOT));
        if (provider == null) {
            throw bad(uri, "unknown scheme; use " + DeviceProviders.examples());
        }
        try {
            Map<String, String> params = query(q < 0 ? "" : s.substring(q + 1));
            LinkOptions options = linkOptions(params);
            return new DeviceAddress(provider.parse(base.substring(colon + 1), new UriQuery(params)), options);
        } catch (IllegalArgumentException e) {
            throw bad(uri, e.getMessage());
        }
    }

    /** Takes {@code timeout} and {@code retries} out of {@code p}. */
    private static LinkOptions linkOptions(Map<String, String> p) {
        LinkOptions o = LinkOptions.defaults();
        String t = p.remove("timeout");
        String r = p.remove("retries");
        if (t != null) {
            o = o.withResponseTimeout(Duration.ofMillis(UriQuery.longValue("timeout", t)));
        }
        if (r != null) {
            o = o.withMaxAttempts(UriQuery.intValue("retries", r) + 1);
        }
        return o;
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("query parameter '" + pair + "' is not key=value");
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            if (m.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException("query parameter '" + key + "' given twice");
            }
        }
        return m;
    }

    private static IllegalArgumentException bad(String uri, String why) {
        return new IllegalArgumentException("bad device URI '" + uri + "': " + why);
    }
}

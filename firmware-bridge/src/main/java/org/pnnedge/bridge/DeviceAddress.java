package org.pnnedge.bridge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.FaultConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.transport.spi.SpiLinkConfig;

/**
 * Where a device is and how to reach it, parsed from a device URI:
 * <ul>
 * <li>{@code spi:<bus>.<cs>?baud=10000000&ready=24&reset=25&mode=0} — Pi4J SPI + GPIO on a Raspberry Pi</li>
 * <li>{@code tcp://host:port} — a device bridge in another process ({@code pnn emulate}, {@code pnn device serve})</li>
 * <li>{@code emulator:<shg|circuit>?seed=N&noise=off&mismatch=off&drift=off&timing=zero&...} — in-process emulator</li>
 * </ul>
 * Every form also takes link options {@code timeout=<ms>} and {@code retries=<n>}.
 */
public sealed interface DeviceAddress {
    LinkOptions options();

    /** The URI this address was parsed from, normalised. */
    String uri();

    record Spi(SpiLinkConfig config, LinkOptions options) implements DeviceAddress {
        public String uri() {
            return "spi:%d.%d?baud=%d&ready=%d&reset=%d&mode=%d".formatted(config.bus(), config.chipSelect(),
                    config.baud(), config.readyPin(), config.resetPin(), config.mode());
        }
    }

    record Tcp(String host, int port, LinkOptions options) implements DeviceAddress {
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("TCP port must be 1..65535, got " + port);
            }
        }

        public String uri() {
            return "tcp://" + host + ":" + port;
        }
    }

    record Emulator(EmulatorConfig config, LinkOptions options) implements DeviceAddress {
        public String uri() {
            return "emulator:" + config.kind().id() + "?seed=" + config.seed();
        }
    }

    static DeviceAddress parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        String s = uri.trim();
        int q = s.indexOf('?');
        String base = q < 0 ? s : s.substring(0, q);
        Map<String, String> params = query(uri, q < 0 ? "" : s.substring(q + 1));
        LinkOptions options = linkOptions(uri, params);
        String lower = base.toLowerCase(Locale.ROOT);
        if (lower.startsWith("spi:")) {
            return parseSpi(uri, base.substring(4), params, options);
        }
        if (lower.startsWith("tcp://")) {
            String hp = base.substring(6);
            int colon = hp.lastIndexOf(':');
            if (colon <= 0) {
                throw bad(uri, "expected tcp://host:port");
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            noUnknown(uri, params, Set.of());
            try {
                return new Tcp(host, intOf(uri, "port", hp.substring(colon + 1)), options);
            } catch (IllegalArgumentException e) {
                throw bad(uri, e.getMessage());
            }
        }
        if (lower.startsWith("emulator:")) {
            return parseEmulator(uri, base.substring(9), params, options);
        }
        throw bad(uri, "unknown scheme; use spi:<bus>.<cs>, tcp://host:port or emulator:<shg|circuit>");
    }

    private static DeviceAddress parseSpi(String uri, String busCs, Map<String, String> p, LinkOptions options) {
        String[] parts = busCs.split("\\.");
        if (parts.length != 2) {
            throw bad(uri, "expected spi:<bus>.<chip-select>, e.g. spi:0.0");
        }
        SpiLinkConfig.Builder b = SpiLinkConfig.builder().bus(intOf(uri, "bus", parts[0]))
                .chipSelect(intOf(uri, "chip select", parts[1]));
        if (p.containsKey("baud")) {
            b.baud(intOf(uri, "baud", p.get("baud")));
        }
        if (p.containsKey("ready")) {
            b.readyPin(intOf(uri, "ready", p.get("ready")));
        }
        if (p.containsKey("reset")) {
            b.resetPin(intOf(uri, "reset", p.get("reset")));
        }
        if (p.containsKey("mode")) {
            b.mode(intOf(uri, "mode", p.get("mode")));
        }
        if (p.containsKey("boot_ms")) {
            b.bootWait(Duration.ofMillis(intOf(uri, "boot_ms", p.get("boot_ms"))));
        }
        noUnknown(uri, p, Set.of("baud", "ready", "reset", "mode", "boot_ms"));
        try {
            return new Spi(b.build(), options);
        } catch (IllegalArgumentException e) {
            throw bad(uri, e.getMessage());
        }
    }

    private static DeviceAddress parseEmulator(String uri, String kind, Map<String, String> p, LinkOptions options) {
        PhysicsKind k;
        try {
            k = PhysicsKind.fromId(kind);
        } catch (IllegalArgumentException e) {
            throw bad(uri, e.getMessage());
        }
        EmulatorConfig.Builder b = EmulatorConfig.builder(k);
        if (p.containsKey("seed")) {
            b.seed(longOf(uri, "seed", p.get("seed")));
        }
        if (p.containsKey("noise")) {
            b.noise(onOff(uri, "noise", p.get("noise")));
        }
        if (p.containsKey("mismatch")) {
            b.mismatch(onOff(uri, "mismatch", p.get("mismatch")));
        }
        if (p.containsKey("drift")) {
            b.drift(onOff(uri, "drift", p.get("drift")));
        }
        if (p.containsKey("timing")) {
            String t = p.get("timing").toLowerCase(Locale.ROOT);
            b.timing(switch (t) {
                case "zero" -> Timing.ZERO;
                case "realistic" -> Timing.REALISTIC;
                default -> throw bad(uri, "timing must be 'zero' or 'realistic', got '" + t + "'");
            });
        }
        if (p.containsKey("shot_us")) {
            b.shotMicros(longOf(uri, "shot_us", p.get("shot_us")));
        }
        if (p.containsKey("slots")) {
            b.slots(intOf(uri, "slots", p.get("slots")));
        }
        if (p.containsKey("ambient")) {
            b.ambientC(doubleOf(uri, "ambient", p.get("ambient")));
        }
        double corrupt = p.containsKey("corrupt") ? doubleOf(uri, "corrupt", p.get("corrupt")) : 0;
        double drop = p.containsKey("drop") ? doubleOf(uri, "drop", p.get("drop")) : 0;
        double stuck = p.containsKey("stuck") ? doubleOf(uri, "stuck", p.get("stuck")) : 0;
        double reboot = p.containsKey("reboot") ? doubleOf(uri, "reboot", p.get("reboot")) : 0;
        noUnknown(uri, p, Set.of("seed", "noise", "mismatch", "drift", "timing", "shot_us", "slots", "ambient",
                "corrupt", "drop", "stuck", "reboot"));
        try {
            b.faults(new FaultConfig(corrupt, drop, stuck, reboot));
            return new Emulator(b.build(), options);
        } catch (IllegalArgumentException e) {
            throw bad(uri, e.getMessage());
        }
    }

    private static LinkOptions linkOptions(String uri, Map<String, String> p) {
        LinkOptions o = LinkOptions.defaults();
        String t = p.remove("timeout");
        String r = p.remove("retries");
        try {
            if (t != null) {
                o = o.withResponseTimeout(Duration.ofMillis(longOf(uri, "timeout", t)));
            }
            if (r != null) {
                o = o.withMaxAttempts(intOf(uri, "retries", r) + 1);
            }
        } catch (IllegalArgumentException e) {
            throw bad(uri, e.getMessage());
        }
        return o;
    }

    private static Map<String, String> query(String uri, String q) {
        Map<String, String> m = new LinkedHashMap<>();
        if (q.isEmpty()) {
            return m;
        }
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw bad(uri, "query parameter '" + pair + "' is not key=value");
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            if (m.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                throw bad(uri, "query parameter '" + key + "' given twice");
            }
        }
        return m;
    }

    private static void noUnknown(String uri, Map<String, String> p, Set<String> known) {
        for (String k : p.keySet()) {
            if (!known.contains(k)) {
                throw bad(uri, "unknown parameter '" + k + "' (known: " + String.join(", ", known.stream().sorted().toList())
                        + (known.isEmpty() ? "" : ", ") + "timeout, retries)");
            }
        }
    }

    private static boolean onOff(String uri, String key, String v) {
        try {
            return Flags.parseBoolean(key, v); // shared with the CLI and the runtime configuration
        } catch (IllegalArgumentException e) {
            throw bad(uri, e.getMessage());
        }
    }

    private static int intOf(String uri, String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(uri, key + " must be an integer, got '" + v + "'");
        }
    }

    private static long longOf(String uri, String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw bad(uri, key + " must be an integer, got '" + v + "'");
        }
    }

    private static double doubleOf(String uri, String key, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(uri, key + " must be a number, got '" + v + "'");
        }
    }

    private static IllegalArgumentException bad(String uri, String why) {
        return new IllegalArgumentException("bad device URI '" + uri + "': " + why);
    }
}

package org.pnnedge.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * The query parameters of a device URI (keys lower case) with the typed readers every {@link DeviceProvider} needs,
 * so that all schemes word their errors alike. Readers throw {@link IllegalArgumentException} naming the key.
 */
public final class UriQuery {
    private final Map<String, String> params;

    UriQuery(Map<String, String> params) {
        this.params = new LinkedHashMap<>(params);
    }

    public boolean has(String key) {
        return params.containsKey(key);
    }

    /** The raw value, or null when absent. */
    public String get(String key) {
        return params.get(key);
    }

    public void ifInt(String key, IntConsumer sink) {
        if (has(key)) {
            sink.accept(intValue(key, get(key)));
        }
    }

    public void ifLong(String key, LongConsumer sink) {
        if (has(key)) {
            sink.accept(longValue(key, get(key)));
        }
    }

    public void ifDouble(String key, DoubleConsumer sink) {
        if (has(key)) {
            sink.accept(doubleValue(key, get(key)));
        }
    }

    public double doubleOr(String key, double absent) {
        return has(key) ? doubleValue(key, get(key)) : absent;
    }

    /** An on/off switch, spelled as {@link Flags} accepts. */
    public void ifOnOff(String key, Consumer<Boolean> sink) {
        if (has(key)) {
            sink.accept(Flags.parseBoolean(key, get(key)));
        }
    }

    /** Refuses any parameter not listed (the link options are always known). */
    public void requireOnly(String... known) {
        Set<String> k = new TreeSet<>(Set.of(known));
        for (String key : params.keySet()) {
            if (!k.contains(key)) {
                throw new IllegalArgumentException("unknown parameter '" + key + "' (known: " + String.join(", ", k)
                        + (k.isEmpty() ? "" : ", ") + "timeout, retries)");
            }
        }
    }

    public static int intValue(String what, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be an integer, got '" + v + "'");
        }
    }

    public static long longValue(String what, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be an integer, got '" + v + "'");
        }
    }

    public static double doubleValue(String what, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + v + "'");
        }
    }
}

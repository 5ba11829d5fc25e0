package org.pnnedge.bridge;

import java.util.Locale;

/**
 * The one parser for on/off words, shared by device URIs ({@code noise=off}), the CLI ({@code --drift off}) and the
 * runtime configuration ({@code bundle.allow_development_keys=true}), so all three accept the same spellings. It
 * lives here because the runtime depends on the bridge, not the other way round.
 */
public final class Flags {
    /** What {@link #parseBoolean} accepts, for error messages. */
    public static final String ACCEPTED = "on or off, true or false, yes or no, 1 or 0";

    private Flags() {
    }

    /**
     * @param key   what is being set, named in the error message (e.g. {@code noise}, {@code --drift})
     * @param value on/off, true/false, yes/no or 1/0, case-insensitive, surrounding blanks ignored
     * @throws IllegalArgumentException naming the key, the value and what is accepted
     */
    public static boolean parseBoolean(String key, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(key + " must be " + ACCEPTED + ", got '" + value + "'");
        };
    }
}

package org.pnnedge.runtime.mqtt;

import java.util.regex.Pattern;

/**
 * The {@code talker} id of a measurement request (mqtt.md, "Measurement requests"): a name a client makes up (a
 * room, a session), not a payload, so short and plain. The service refuses any other id; the fleet dispatcher, which
 * routes a talker's requests to one device, remembers no longer one. One rule for both.
 */
public final class TalkerId {
    /** Longest id, in characters. */
    public static final int MAX_LENGTH = 64;
    /** The rule in words, for error messages. */
    public static final String RULE = "1-" + MAX_LENGTH + " letters, digits or . _ : @ -";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}");

    private TalkerId() {
    }

    /** Whether {@code id} follows {@link #RULE}. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}

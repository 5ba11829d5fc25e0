package org.pnnedge.runtime.ota;

/**
 * How one update is to be applied.
 *
 * @param updateId       the sender's id for this update, echoed in every {@link OtaStatus}; {@code null} = the
 *                       updater makes one up
 * @param allowDowngrade install even if the bundle's version is not newer than the active one or below the
 *                       {@link VersionFloor} (an explicit downgrade, e.g. to go back to a known-good model; once
 *                       SWITCHED it sets the floor to its version); the identical bundle is still refused. The
 *                       service sets it from its own {@code ota.allow_downgrade} only, never from a message
 * @param source         where the bundle came from, for the log and the RECEIVED message (e.g. the topic);
 *                       may be {@code null}
 */
public record UpdateOptions(String updateId, boolean allowDowngrade, String source) {
    /** MQTT 5 user property of a bundle message: the update's id, echoed in every status. */
    public static final String PROPERTY_UPDATE_ID = "update-id";
    /** MQTT 5 user property of a bundle message: {@code true} allows a downgrade. */
    public static final String PROPERTY_ALLOW_DOWNGRADE = "allow-downgrade";

    /**
     * Options from the MQTT 5 user properties of a bundle message ({@link #PROPERTY_UPDATE_ID},
     * {@link #PROPERTY_ALLOW_DOWNGRADE}; other properties are ignored).
     */
    public static UpdateOptions fromUserProperties(java.util.Map<String, String> properties, String source) {
        java.util.Map<String, String> p = properties == null ? java.util.Map.of() : properties;
        return new UpdateOptions(p.get(PROPERTY_UPDATE_ID), "true".equalsIgnoreCase(p.get(PROPERTY_ALLOW_DOWNGRADE)),
                source);
    }

    public static UpdateOptions defaults() {
        return new UpdateOptions(null, false, null);
    }

    public UpdateOptions withUpdateId(String id) {
        return new UpdateOptions(id, allowDowngrade, source);
    }

    public UpdateOptions withAllowDowngrade(boolean allow) {
        return new UpdateOptions(updateId, allow, source);
    }

    public UpdateOptions withSource(String s) {
        return new UpdateOptions(updateId, allowDowngrade, s);
    }
}

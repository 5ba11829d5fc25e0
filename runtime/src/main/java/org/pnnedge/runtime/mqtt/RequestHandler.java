package org.pnnedge.runtime.mqtt;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers one inference request received over MQTT. Called on the link's request thread (one at a time, in
 * arrival order), never on the MQTT client's network thread.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * @param request the request's JSON payload (e.g. {@code {"features":[0.1, 0.2, ...]}})
     * @return the reply payload (a JSON object), sent to the request's response topic with its correlation data
     * @throws Exception any failure; the requester gets {@code {"error":{"kind":…,"message":…}}} instead.
     *                   Throw {@link IllegalArgumentException} for a malformed request (kind
     *                   {@code bad_request}); any other exception is reported as kind {@code internal}
     */
    JsonNode handle(JsonNode request) throws Exception;
}

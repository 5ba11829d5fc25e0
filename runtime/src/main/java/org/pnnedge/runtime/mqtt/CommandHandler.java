package org.pnnedge.runtime.mqtt;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Handles commands published on {@code <prefix>/<deviceId>/cmd/<name>} or {@code <prefix>/fleet/<fleetId>/cmd/<name>}.
 * Called on the link's inbound thread. The built-in {@code status} command (republish the retained status)
 * is handled by the link itself and never reaches a handler.
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @return an optional reply (sent when the command message names an MQTT 5 response topic), or null
     * @throws Exception any failure, replied as {@code {"error":{…}}} when there is a response topic
     */
    JsonNode onCommand(Command command) throws Exception;
}

package org.pnnedge.runtime.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one error format of every answer the device gives, over MQTT and the control socket alike:
 * {@code {"id": …, "error": {"kind": …, "message": …}}}. Kinds: {@code bad_request}, {@code busy},
 * {@code no_handler}, {@code unauthorized}, {@code internal} (mqtt.md).
 */
public final class RequestError {
    private RequestError() {
    }

    /** The error answer; no {@code id} when {@code id} is null, the kind as message when {@code message} is null. */
    public static ObjectNode of(String kind, String message, JsonNode id) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (id != null) {
            o.set("id", id);
        }
        ObjectNode e = o.putObject("error");
        e.put("kind", kind);
        e.put("message", message == null ? kind : message);
        return o;
    }

    /** A {@code bad_request} error: something is wrong with the request, named in {@code message}. */
    public static ObjectNode badRequest(String message) {
        return of("bad_request", message, null);
    }

    /** The message of an error answer (or of the older plain-string form), for clients; null when not an error. */
    public static String message(JsonNode answer) {
        JsonNode e = answer == null ? null : answer.get("error");
        if (e == null) {
            return null;
        }
        return e.isObject() ? e.path("message").asText(e.path("kind").asText("error")) : e.asText();
    }
}

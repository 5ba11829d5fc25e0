package org.pnnedge.runtime.mqtt;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides whether a command may run, on arrival: the link asks it before the command takes a place in the bounded
 * command queue, so a refused command is answered at once and the same way however busy the queue is, and never
 * occupies a place an authorised command could use. Called on Paho's callback thread: it must be quick and never
 * block (a set look-up, a counter); the payload is not parsed yet, so only the command's name and topic are known.
 * The built-in {@code status} command never reaches it.
 */
@FunctionalInterface
public interface CommandAuthoriser {
    /** Admits every command. */
    CommandAuthoriser ALLOW_ALL = (name, fleet) -> null;

    /**
     * @param name  the command, the topic's last level (e.g. {@code recalibrate})
     * @param fleet true when sent to the whole fleet
     * @return null to admit the command, or the answer to refuse it with (an error in {@link RequestError}'s
     *         format, e.g. kind {@code unauthorized}); sent when the command names a response topic
     */
    JsonNode refusal(String name, boolean fleet);
}

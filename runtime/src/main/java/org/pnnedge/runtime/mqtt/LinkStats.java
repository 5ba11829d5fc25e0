package org.pnnedge.runtime.mqtt;

/**
 * A snapshot of the link's counters.
 *
 * @param connected          currently connected to the broker
 * @param connects           successful connections since start (1 + reconnects)
 * @param outboxPending      messages waiting in the outbox
 * @param outboxBytes        bytes of those messages on disk
 * @param outboxDropped      messages dropped by the outbox bound since start
 * @param delivered          outbox messages acknowledged by the broker since start
 * @param requestsHandled    inference requests answered (including errors)
 * @param requestsRejected   inference requests answered "busy" because the queue was full
 * @param clientRebuilds     Paho clients replaced because one of their threads died
 * @param bundlesDeferred    bundles left unacknowledged because their queue was full (the broker resends them)
 * @param threadRestarts     times the link's own connection supervisor or outbox drainer died and was run again
 */
public record LinkStats(boolean connected, long connects, int outboxPending, long outboxBytes, long outboxDropped,
                        long delivered, long requestsHandled, long requestsRejected, long clientRebuilds,
                        long bundlesDeferred, long threadRestarts) {
}

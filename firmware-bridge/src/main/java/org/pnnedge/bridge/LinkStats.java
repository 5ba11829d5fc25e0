package org.pnnedge.bridge;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import org.pnnedge.bridge.protocol.Status;

/**
 * Counters a link keeps since it was opened, for telemetry.
 *
 * @param requests         requests answered successfully
 * @param retries          requests sent again after a transient fault
 * @param timeouts         waits for a response that ran out
 * @param corruptFrames    responses rejected by the host (CRC, sync, length) plus device BAD_CRC/BAD_LENGTH answers
 * @param lineResets       RESET line pulses after repeated timeouts
 * @param paramReloads     parameter slots reloaded after the device lost them or someone else overwrote them
 * @param foreignWrites    slots found holding parameters this link did not load (someone else wrote them; each was
 *                         reloaded and is counted in {@code paramReloads} too)
 * @param deviceStatuses   non-OK statuses the device answered, by status (retried ones included); a status never
 *                         seen is absent. Keyed by {@link Status}, the same value a {@link DeviceStatusException}
 *                         carries, so telemetry and exceptions name a problem alike
 */
public record LinkStats(long requests, long retries, long timeouts, long corruptFrames, long lineResets,
                        long paramReloads, long foreignWrites, Map<Status, Long> deviceStatuses) {
    public LinkStats {
        EnumMap<Status, Long> copy = new EnumMap<>(Status.class); // in status order, for stable telemetry
        copy.putAll(deviceStatuses);
        deviceStatuses = Collections.unmodifiableMap(copy);
    }
}

package org.pnnedge.bridge;

/**
 * Counters a link keeps since it was opened, for telemetry.
 *
 * @param requests         requests answered successfully
 * @param retries          requests sent again after a transient fault
 * @param timeouts         waits for a response that ran out
 * @param corruptFrames    responses rejected by the host (CRC, sync, length) plus device BAD_CRC/BAD_LENGTH answers
 * @param lineResets       RESET line pulses after repeated timeouts
 * @param paramReloads     parameter slots reloaded after the device lost them
 */
public record LinkStats(long requests, long retries, long timeouts, long corruptFrames, long lineResets, long paramReloads) {
}

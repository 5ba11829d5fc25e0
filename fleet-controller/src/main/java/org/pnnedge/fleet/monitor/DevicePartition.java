package org.pnnedge.fleet.monitor;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which ingest worker takes a device, without shared subscriptions (ejabberd has none): worker {@code k} of
 * {@code n} owns the devices whose CRC-32 of the UTF-8 id is {@code k} modulo {@code n}; within a worker, the
 * device's MQTT session ("lane") is the quotient modulo the number of lanes, so lanes are filled independently of
 * the worker split. The same id lands on the same worker and lane in every process.
 *
 * @param workers number of workers, ≥ 1
 * @param worker  this worker, 0..workers-1
 */
public record DevicePartition(int workers, int worker) {
    public DevicePartition {
        if (workers < 1 || worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("--worker must be in 0.." + (workers - 1) + " for --workers " + workers
                    + ", got " + worker);
        }
    }

    public static long hash(String deviceId) {
        CRC32 c = new CRC32();
        c.update(deviceId.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }

    public boolean owns(String deviceId) {
        return hash(deviceId) % workers == worker;
    }

    /** The lane (0..lanes-1) of a device this worker owns. */
    public int lane(String deviceId, int lanes) {
        return (int) ((hash(deviceId) / workers) % lanes);
    }
}

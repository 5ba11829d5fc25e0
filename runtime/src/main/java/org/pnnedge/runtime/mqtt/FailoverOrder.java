package org.pnnedge.runtime.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which one device tries the other nodes of its broker's cluster: the configured failover list rotated
 * by a stable hash of the device id. Without it every device of a node that dies reconnects to the first node of the
 * same list, and that one node takes them all (6.6-6.8 GB RSS on one node in a 10,000-device test); rotated, the
 * devices of a dead node spread evenly over the survivors (fleet.md, "Reconnects after a node dies"). The same id
 * gives the same order in every process and release, so a device's fail-over target is predictable. Used by
 * {@link MqttSettings#serverUris()} (the runtime) and the fleet simulator's agents.
 */
public final class FailoverOrder {
    private FailoverOrder() {
    }

    /**
     * {@code failover} rotated left by {@link #rotation}: e.g. for {@code [n2, n3]} half the device ids get
     * {@code [n2, n3]} and half {@code [n3, n2]}.
     */
    public static <T> List<T> of(String deviceId, List<T> failover) {
        int n = failover.size();
        if (n < 2) {
            return List.copyOf(failover);
        }
        int r = rotation(deviceId, n);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(failover.get((i + r) % n));
        }
        return List.copyOf(out);
    }

    /**
     * The rotation in {@code [0, n)} for a device id: murmur3's 32-bit finaliser over {@link String#hashCode()}
     * (specified by the JDK, so stable), so ids that differ only in a counter do not fall into a pattern.
     */
    static int rotation(String deviceId, int n) {
        int h = deviceId.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Integer.remainderUnsigned(h, n);
    }
}

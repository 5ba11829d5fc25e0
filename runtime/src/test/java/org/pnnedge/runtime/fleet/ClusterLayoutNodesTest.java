package org.pnnedge.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fleet tools' {@code --servers}: default loopback nodes, tcp URIs accepted, anything else named. */
class ClusterLayoutNodesTest {
    @Test
    void noServersMeansTheDefaultThreeLoopbackNodes() {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 1891), new InetSocketAddress("127.0.0.1", 1892),
                new InetSocketAddress("127.0.0.1", 1893)), ClusterLayout.nodeAddresses(null));
    }

    @Test
    void tcpUrisBecomeAddressesAndOthersAreNamed() {
        assertEquals(List.of(new InetSocketAddress("10.0.0.5", 21891)),
                ClusterLayout.nodeAddresses(List.of(URI.create("tcp://10.0.0.5:21891"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterLayout.nodeAddresses(List.of(URI.create("ssl://h:8883"))));
        assertTrue(e.getMessage().contains("'ssl://h:8883' is not tcp://host:port"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.nodeAddresses(List.of(URI.create("tcp://h"))));
    }
}

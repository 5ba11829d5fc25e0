package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/** The bundle lane without a broker: its thread outlives whatever the reconnect for redelivery throws. */
class BundleLaneTest {
    @Test
    void aRedeliveryThatDiesOfAnErrorDoesNotEndTheLane() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger redeliveries = new AtomicInteger();
        BundleLane lane = new BundleLane(item -> {
            try {
                release.await(10, TimeUnit.SECONDS); // the first bundle holds the lane until the queue overflowed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        }, busy -> { }, () -> {
            if (redeliveries.incrementAndGet() == 1) { // as an OutOfMemoryError in Paho's disconnect would
                throw new OutOfMemoryError("test: the reconnect for redelivery dies");
            }
        });
        try {
            int offered = BundleLane.CAPACITY + 3; // one being handled, CAPACITY queued, the rest deferred
            for (int i = 0; i < offered; i++) {
                lane.offer(new BundleLane.Item("pnn/d/ota/bundle", new MqttMessage(new byte[] {1}), () -> { }));
            }
            assertTrue(lane.deferred() > 0, "the queue overflowed (else this test proves nothing)");
            release.countDown();
            long t0 = System.nanoTime();
            while (redeliveries.get() == 0 && System.nanoTime() - t0 < 10_000_000_000L) {
                Thread.sleep(20);
            }
            assertTrue(redeliveries.get() >= 1, "the drained lane asked for redelivery");
            int before = handled.get();
            lane.offer(new BundleLane.Item("pnn/d/ota/bundle", new MqttMessage(new byte[] {2}), () -> { }));
            while (handled.get() == before && System.nanoTime() - t0 < 15_000_000_000L) {
                Thread.sleep(20);
            }
            assertTrue(handled.get() > before, "a bundle after the failed redelivery is still handled");
        } finally {
            lane.shutdown();
        }
    }
}

package org.pnnedge.runtime.demo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * The embedded broker's start timeout (an arm64 JVM under qemu-user took longer than 60 s): a timeout says how to
 * allow more, and the property allows it. No broker is started here.
 */
class EmbeddedBrokerStartTest {
    @Test
    void aStartThatDoesNotFinishSaysHowToAllowMore() {
        BrokerStartException e = assertThrows(BrokerStartException.class,
                () -> EmbeddedBroker.awaitStart(new CompletableFuture<>(), 0));
        assertTrue(e.getMessage().contains("did not start within 0 s"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dpnn.demo.broker_start_seconds="), e.getMessage());
    }

    @Test
    void aFinishedStartPasses() {
        assertDoesNotThrow(() -> EmbeddedBroker.awaitStart(CompletableFuture.completedFuture(null), 0));
    }

    @Test
    void thePropertySetsTheTimeout() {
        String old = System.getProperty(EmbeddedBroker.START_SECONDS_PROPERTY);
        try {
            System.clearProperty(EmbeddedBroker.START_SECONDS_PROPERTY);
            assertEquals(60, EmbeddedBroker.startSeconds());
            System.setProperty(EmbeddedBroker.START_SECONDS_PROPERTY, "900");
            assertEquals(900, EmbeddedBroker.startSeconds());
        } finally {
            if (old == null) {
                System.clearProperty(EmbeddedBroker.START_SECONDS_PROPERTY);
            } else {
                System.setProperty(EmbeddedBroker.START_SECONDS_PROPERTY, old);
            }
        }
    }
}

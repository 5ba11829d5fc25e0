package org.pnnedge.fleet.dispatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The dispatcher publishes with an operator's rights: which response topics it answers on. */
class ResponseTopicTest {
    @Test
    void answersGoToRequesterTopicsAndInferResponseTopicsOnly() {
        for (String ok : new String[] {"dashboard/replies", "clients/me/r", "pnn/fleet/lab/infer/response",
                "pnn/fleet/lab/infer/response/me", "pnn/pi-7/infer/response", "pnn/pi-7/infer/response/dash"}) {
            assertTrue(DispatchChannel.acceptableResponseTopic(ok), ok);
        }
        for (String bad : new String[] {"", "pnn/pi-7/cmd/recalibrate", "pnn/pi-7/ota/status", "pnn/pi-7/status",
                "pnn/fleet/lab/cmd/recalibrate", "pnn/fleet/lab/ota/bundle", "pnn/fleet/lab/infer/request",
                "pnn/pi-7/infer/request", "replies/+", "replies/#", "pnn/pi-7", "pnn/fleet/lab/infer"}) {
            assertFalse(DispatchChannel.acceptableResponseTopic(bad), bad);
        }
    }
}

package org.pnnedge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;
import org.pnnedge.bridge.protocol.Status;

/** Asserts a request was refused with a given status: one exception type, told apart by its status. */
public final class StatusAssertions {
    private StatusAssertions() {
    }

    public static DeviceStatusException assertRefused(Status expected, Executable call) {
        DeviceStatusException e = assertThrows(DeviceStatusException.class, call);
        assertEquals(expected, e.status(), e.getMessage());
        return e;
    }
}

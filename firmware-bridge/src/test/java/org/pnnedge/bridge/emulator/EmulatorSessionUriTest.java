package org.pnnedge.bridge.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceAddress;

/** The one place that writes "session k of this unit" as a URI ({@link EmulatorEndpoint#sessionUri}). */
class EmulatorSessionUriTest {
    static EmulatorConfig config(String uri) {
        return ((EmulatorEndpoint) DeviceAddress.parse(uri).endpoint()).config();
    }

    @Test
    void appendsOrReplacesTheSessionAndKeepsEverythingElse() {
        assertEquals("emulator:shg?seed=1&timing=zero&session=3",
                EmulatorEndpoint.sessionUri("emulator:shg?seed=1&timing=zero", 3));
        assertEquals("emulator:shg?session=0", EmulatorEndpoint.sessionUri("emulator:shg", 0));
        assertEquals("emulator:shg?seed=1&session=12&timing=zero",
                EmulatorEndpoint.sessionUri("emulator:shg?seed=1&session=10&timing=zero", 12));
        assertEquals("emulator:shg?seed=1&Session=4", EmulatorEndpoint.sessionUri("emulator:shg?seed=1&Session=2", 4));
        assertEquals("emulator:shg?seed=1&session=5", EmulatorEndpoint.sessionUri("emulator:shg?seed=1&", 5));
        // replaced where it stands (first, last, alone; session=0 given too), never appended a second time
        assertEquals("emulator:shg?session=7&seed=1&timing=zero",
                EmulatorEndpoint.sessionUri("emulator:shg?session=3&seed=1&timing=zero", 7));
        assertEquals("emulator:shg?seed=1&timing=zero&session=2",
                EmulatorEndpoint.sessionUri("emulator:shg?seed=1&timing=zero&session=0", 2));
        assertEquals("emulator:shg?session=1", EmulatorEndpoint.sessionUri("emulator:shg?session=0", 1));
        assertEquals("emulator:shg?session=0", EmulatorEndpoint.sessionUri("emulator:shg?session=0", 0));
        String base = "emulator:circuit?seed=7&noise=off&drift=off&timing=zero&timeout=500";
        for (long k : new long[] {0, 1, 9}) {
            EmulatorConfig c = config(EmulatorEndpoint.sessionUri(base, k));
            assertEquals(k, c.session());
            assertEquals(config(base).toBuilder().session(k).build(), c, "only the session differs");
            assertEquals(k, EmulatorEndpoint.sessionOf(EmulatorEndpoint.sessionUri(base, k)));
        }
    }

    @Test
    void readsTheSessionOfAUri() {
        assertEquals(0, EmulatorEndpoint.sessionOf("emulator:shg?seed=1"));
        assertEquals(0, EmulatorEndpoint.sessionOf("EMULATOR:shg"));
        assertEquals(10, EmulatorEndpoint.sessionOf("emulator:shg?seed=1&session=10&timing=zero"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmulatorEndpoint.sessionOf("emulator:shg?session=x"));
        assertTrue(e.getMessage().contains("session must be an integer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmulatorEndpoint.sessionOf("emulator:shg?session=-1"));
    }

    @Test
    void tellsWhetherAUriNamesItsSession() {
        assertFalse(EmulatorEndpoint.namesSession("emulator:shg?seed=1&timing=zero"));
        assertFalse(EmulatorEndpoint.namesSession("emulator:shg"));
        assertTrue(EmulatorEndpoint.namesSession("emulator:shg?seed=1&session=0"), "session 0 named is named");
        assertTrue(EmulatorEndpoint.namesSession("emulator:shg?session=3&seed=1"));
        assertTrue(EmulatorEndpoint.namesSession("emulator:shg?seed=1&Session=2"), "any case, as the parser");
        assertTrue(EmulatorEndpoint.namesSession("emulator:shg?seed=1&se%73sion=2"), "encoded, as the parser");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmulatorEndpoint.namesSession("emulator:shg?session=x"));
        assertTrue(e.getMessage().contains("session must be an integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EmulatorEndpoint.namesSession("tcp://127.0.0.1:7000"));
        assertTrue(e.getMessage().contains("'tcp://127.0.0.1:7000' is not an emulated device"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotAnEmulatorOrNotASession() {
        assertTrue(EmulatorEndpoint.isEmulatorUri(" emulator:shg"));
        assertFalse(EmulatorEndpoint.isEmulatorUri("tcp://127.0.0.1:7000"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmulatorEndpoint.sessionUri("tcp://127.0.0.1:7000", 1));
        assertTrue(e.getMessage().contains("not an emulated device"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmulatorEndpoint.sessionUri("emulator:shg", -1));
        e = assertThrows(IllegalArgumentException.class,
                () -> EmulatorEndpoint.sessionUri("emulator:shg?session=1&session=2", 3));
        assertTrue(e.getMessage().contains("given twice"), e.getMessage());
    }
}

package org.pnnedge.bridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlagsTest {
    @Test
    void acceptsEverySpellingTheThreeParsersAcceptedBefore() {
        for (String v : new String[] {"on", "true", "yes", "1", "ON", "True", "YES", " on "}) {
            assertTrue(Flags.parseBoolean("k", v), v);
        }
        for (String v : new String[] {"off", "false", "no", "0", "OFF", "False", "No", "off\t"}) {
            assertFalse(Flags.parseBoolean("k", v), v);
        }
    }

    @Test
    void rejectsOtherWordsNamingKeyValueAndTheAcceptedOnes() {
        for (String v : new String[] {"maybe", "", "2", "enabled", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Flags.parseBoolean("noise", v));
            assertTrue(e.getMessage().startsWith("noise must be on or off"), e.getMessage());
            assertTrue(e.getMessage().contains("true or false, yes or no, 1 or 0"), e.getMessage());
            assertTrue(e.getMessage().contains("got '" + v + "'"), e.getMessage());
        }
    }
}

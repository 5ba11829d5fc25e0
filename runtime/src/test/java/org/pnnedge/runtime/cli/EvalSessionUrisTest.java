package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code --sessions n} as URIs ({@link EvalCommand#sessionUris}, shared by eval and train): the URI's own session, then
 * the next ones, written by the bridge ({@code EmulatorEndpoint.sessionUri}). No device is opened.
 */
class EvalSessionUrisTest {
    @Test
    void startsAtTheUrisSessionAndCountsOnInPlace() {
        assertEquals(List.of("emulator:shg?seed=1&session=10&timing=zero", "emulator:shg?seed=1&session=11&timing=zero",
                        "emulator:shg?seed=1&session=12&timing=zero"),
                EvalCommand.sessionUris("emulator:shg?seed=1&session=10&timing=zero", 3));
        assertEquals(List.of("emulator:shg?seed=1&session=0", "emulator:shg?seed=1&session=1"),
                EvalCommand.sessionUris("emulator:shg?seed=1", 2), "no session: 0, then 1");
        assertEquals(List.of("emulator:shg?session=0", "emulator:shg?session=1"),
                EvalCommand.sessionUris("emulator:shg", 2), "no query");
        assertEquals(List.of("emulator:shg?session=0&seed=1", "emulator:shg?session=1&seed=1"),
                EvalCommand.sessionUris("emulator:shg?session=0&seed=1", 2), "session=0 given");
    }

    @Test
    void oneSessionIsTheUriAsGivenOnAnyDevice() {
        assertEquals(List.of("emulator:shg?seed=1&session=4"),
                EvalCommand.sessionUris("emulator:shg?seed=1&session=4", 1));
        assertEquals(List.of("tcp://127.0.0.1:7000"), EvalCommand.sessionUris("tcp://127.0.0.1:7000", 1));
    }

    @Test
    void refusesByName() {
        CliException e = assertThrows(CliException.class, () -> EvalCommand.sessionUris("tcp://127.0.0.1:7000", 2));
        assertTrue(e.getMessage().contains("--sessions 2 needs an emulated device"), e.getMessage());
        e = assertThrows(CliException.class, () -> EvalCommand.sessionUris("emulator:shg", 0));
        assertTrue(e.getMessage().contains("--sessions must be in 1..100, got 0"), e.getMessage());
        assertThrows(CliException.class, () -> EvalCommand.sessionUris("emulator:shg", 101));
        e = assertThrows(CliException.class, () -> EvalCommand.sessionUris("emulator:shg?session=x", 2));
        assertTrue(e.getMessage().startsWith("emulator:shg?session=x: ")
                && e.getMessage().contains("session must be an integer"), e.getMessage());
    }
}

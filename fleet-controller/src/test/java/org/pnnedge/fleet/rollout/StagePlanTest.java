package org.pnnedge.fleet.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pnnedge.runtime.fleet.FleetAccounts;

/** Stage sizes, reproducible order, canaries first, and the stage lists that are refused. */
class StagePlanTest {
    private static final List<String> FLEET = FleetAccounts.numbered("sim-", 200);

    @Test
    void stagesAreCumulativeAndCoverEveryDeviceOnce() throws Exception {
        StagePlan p = StagePlan.of("1,5%,25%,100%", FLEET, List.of(), 7);
        assertEquals(List.of(1, 10, 50, 200), p.ends());
        List<String> all = new ArrayList<>();
        for (int k = 1; k <= p.stages(); k++) {
            all.addAll(p.devicesOf(k));
        }
        assertEquals(200, all.size());
        assertEquals(new HashSet<>(FLEET), new HashSet<>(all));
        // a tiny fleet still gets at least one more device per stage while there are any
        assertEquals(List.of(1, 2, 3), StagePlan.of("1,5%,100%", FLEET.subList(0, 3), List.of(), 1).ends());
    }

    @Test
    void theOrderDependsOnTheSeedOnlyAndCanariesGoFirst() throws Exception {
        List<String> reversed = new ArrayList<>(FLEET);
        java.util.Collections.reverse(reversed);
        assertEquals(StagePlan.of("100%", FLEET, List.of(), 3).order(), StagePlan.of("100%", reversed, List.of(), 3).order());
        assertNotEquals(StagePlan.of("100%", FLEET, List.of(), 3).order(), StagePlan.of("100%", FLEET, List.of(), 4).order());
        StagePlan c = StagePlan.of("2,100%", FLEET, List.of("sim-00150", "sim-00007"), 3);
        assertEquals(List.of("sim-00150", "sim-00007"), c.devicesOf(1));
    }

    @Test
    void badStageListsAreNamed() {
        for (String s : List.of("1,5%,25%", "1,5%,50", "0,100%", "1,50%,25%,100%", "1,x,100%", "1,,100%", "150%")) {
            RolloutException e = assertThrows(RolloutException.class, () -> StagePlan.of(s, FLEET, List.of(), 1), s);
            assertEquals(RolloutException.Kind.BAD_STAGES, e.kind(), s);
            assertTrue(e.getMessage().startsWith("bad-stages: "), e.getMessage());
        }
        assertEquals(RolloutException.Kind.EMPTY_FLEET,
                assertThrows(RolloutException.class, () -> StagePlan.of("100%", List.of(), List.of(), 1)).kind());
        assertEquals(RolloutException.Kind.BAD_OPTION,
                assertThrows(RolloutException.class, () -> StagePlan.of("100%", FLEET, List.of("pi-9"), 1)).kind());
    }
}

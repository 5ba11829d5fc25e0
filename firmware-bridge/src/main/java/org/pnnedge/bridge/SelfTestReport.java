package org.pnnedge.bridge;

import java.util.List;

/** A SELF_TEST answer. */
public record SelfTestReport(boolean passed, List<SelfTestCheck> checks) {
    public SelfTestReport {
        checks = List.copyOf(checks);
    }
}

package org.pnnedge.runtime.edge;

import org.pnnedge.models.bundle.BundleManifest;

/** Lets tests in other packages build a bundle with fresh probes (see EdgeServiceTest#freshProbes). */
public final class EdgeServiceTestAccess {
    private EdgeServiceTestAccess() {
    }

    public static BundleManifest freshProbes(EdgeService s, String version) {
        return EdgeServiceTest.freshProbes(s, version);
    }
}

package org.pnnedge.runtime.cli;

import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.edge.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code pnn --version}: version, commit and build time of this build, whether it is a release, and the JVM. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo b = BuildInfo.current();
        String kind = b.release() ? "release build"
                : "development build" + Checkout.root().map(r -> " from the checkout " + r).orElse("");
        return new String[] {"pnn " + b.version() + " (" + kind + ")",
                "commit " + b.commit() + ", built " + b.time(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}

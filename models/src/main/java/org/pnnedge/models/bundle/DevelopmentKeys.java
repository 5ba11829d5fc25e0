package org.pnnedge.models.bundle;

import java.util.Set;

/**
 * Development keys: keys whose private half is not secret (it ships with the source so anyone can build the
 * default bundle). Bundles they sign load, but with a warning, and {@link ModelBundle#developmentKey()} is
 * set so a runtime can refuse them in production.
 *
 * <p>A key is a development key when its key file says {@code # development: true} (what
 * {@code pnn keygen --dev} writes) or its id is listed in {@link #KNOWN}, which catches copies of the
 * shipped key whose marker was removed. To run on your own key, see {@code src/site/markdown/bundle.md}.
 */
public final class DevelopmentKeys {
    /**
     * Ids of development keys published with PNN Edge: {@code src/dist/dev-keys/pnn-dev.key}, which signs the
     * shipped default bundle.
     */
    public static final Set<String> KNOWN = Set.of("e9d4606220eb17d3");

    /** The warning shown when a bundle signed by a development key is loaded. */
    public static final String WARNING = "signed with a DEVELOPMENT key: anyone can sign bundles with it; "
            + "re-sign with your own key for production (see bundle.md)";

    private DevelopmentKeys() {
    }

    public static boolean isKnownDevelopmentKey(String keyId) {
        return KNOWN.contains(keyId);
    }
}

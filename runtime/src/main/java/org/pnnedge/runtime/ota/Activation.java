package org.pnnedge.runtime.ota;

import org.pnnedge.models.bundle.ModelBundle;

/**
 * The service's side of a switch: called once the new bundle is committed as active on disk, it swaps the
 * serving model atomically (in-flight requests finish on the old model, new ones use the new one). If it
 * throws, the service must still be serving the old model; the updater then restores the previous bundle on
 * disk and reports {@link OtaStatus.Step#ROLLED_BACK}.
 */
@FunctionalInterface
public interface Activation {
    /** Does nothing: for tests and tools that only manage the store. */
    Activation NONE = bundle -> { };

    void activate(ModelBundle bundle) throws Exception;
}

package org.pnnedge.models.twin;

import java.time.Instant;

import org.pnnedge.models.CodeVersion;
import org.pnnedge.models.characterize.Characterization;

/** Where a fitted twin came from: the data it saw, the settings, the code, the time. */
public record TwinProvenance(String dataHash, String deviceSerial, int samples, long seed, String fitter,
                             String codeVersion, Instant created) {
    static TwinProvenance of(Characterization data, TwinFitter fitter) {
        return new TwinProvenance(data.dataHash(), data.serial(), data.size(), fitter.seed(), fitter.toString(),
                CodeVersion.get(), Instant.now());
    }
}

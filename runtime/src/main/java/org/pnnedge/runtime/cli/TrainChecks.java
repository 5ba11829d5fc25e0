package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.data.FeatureLayout;

/**
 * The {@code pnn train} arguments that need neither the data nor the device, checked before either is touched
 * (and all {@code --validate-only} checks): a bad version or output folder is refused at once, not after the
 * training.
 *
 * @param layout      the feature layout named by {@code --feature-layout}, or null when none was given
 * @param darkReadout {@code --readout dark-referenced}
 * @param signing     the key the bundle will be signed with
 */
record TrainChecks(FeatureLayout layout, boolean darkReadout, SigningKey signing) {

    static TrainChecks check(String version, String modelId, String featureLayout, String readout, Path out,
                             Path curves, Path keyFile) {
        try {
            SemVer.parse(version);
        } catch (IllegalArgumentException e) {
            throw new CliException("--version: " + e.getMessage());
        }
        try {
            BundleManifest.checkModelId(modelId);
        } catch (IllegalArgumentException e) {
            throw new CliException("--model-id: " + e.getMessage());
        }
        FeatureLayout layout = null;
        if (featureLayout != null) {
            try {
                layout = FeatureLayout.of(featureLayout);
            } catch (IllegalArgumentException e) {
                throw new CliException("--feature-layout: " + e.getMessage());
            }
        }
        boolean dark = switch (readout.toLowerCase(Locale.ROOT)) {
            case "affine" -> false;
            case "dark-referenced", "dark" -> true;
            default -> throw new CliException("--readout must be affine or dark-referenced, got '" + readout + "'");
        };
        requireFolder("--out", out);
        if (curves != null) {
            requireFolder("--curves", curves);
        }
        return new TrainChecks(layout, dark, ModelData.signingKey(keyFile));
    }

    /** Refuses an output whose folder is missing or read-only (named by {@code option}). */
    private static void requireFolder(String option, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new CliException(option + " " + file + ": no such folder: " + folder);
        }
        if (!Files.isWritable(folder)) {
            throw new CliException(option + " " + file + ": cannot write in " + folder);
        }
    }
}

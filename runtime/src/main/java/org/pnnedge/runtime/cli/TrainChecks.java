package org.pnnedge.runtime.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.data.Dataset;
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

    /** {@code data}, {@code twin} (null: none) and {@code keyFile} are read: no output may be one of them. */
    static TrainChecks check(String version, String modelId, String featureLayout, String readout, Path out,
                             Path curves, Path keyFile, Path data, Path twin) {
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
        OutputFile.check("--out", out);
        if (curves != null) {
            OutputFile.checkFolder("--curves", curves);
        }
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--data", data);
        inputs.put("--twin", twin);
        inputs.put("--key", keyFile);
        inputs.forEach((option, in) -> {
            OutputFile.notInput("--out", out, option, in);
            if (curves != null) { // the curves are PREFIX.csv and PREFIX.png
                OutputFile.notInput("--curves", curves.resolveSibling(curves.getFileName() + ".csv"), option, in);
                OutputFile.notInput("--curves", curves.resolveSibling(curves.getFileName() + ".png"), option, in);
            }
        });
        return new TrainChecks(layout, dark, ModelData.signingKey(keyFile));
    }

    /**
     * Refuses --epochs, --batch (null: none) and --learning-rate (null: the default) by name, before any work: the
     * trainer's and fitter's own checks ("bad trainer settings: ...") name no option and come after the device.
     */
    static void requireSteps(int epochs, Integer batch, Double learningRate) {
        if (epochs < 1) {
            throw new CliException("--epochs must be at least 1, got " + epochs);
        }
        if (batch != null && batch < 1) {
            throw new CliException("--batch must be at least 1, got " + batch);
        }
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new CliException("--learning-rate must be a positive number, got " + learningRate);
        }
    }

    /** Refuses data too small for the --validation split: it would end, after the training, in a NaN accuracy. */
    static void requireValidationRows(Dataset ds, Path data, double validation, long seed) {
        if (validation > 0 && ds.stratifiedSplit(validation, seed).validation().size() == 0) {
            throw new CliException("--validation " + validation + " leaves no validation row: " + data + " has "
                    + ds.size() + " row" + (ds.size() == 1 ? "" : "s") + " (" + ds.numClasses() + " class"
                    + (ds.numClasses() == 1 ? "" : "es") + "); give more rows, or --validation 0");
        }
    }
}

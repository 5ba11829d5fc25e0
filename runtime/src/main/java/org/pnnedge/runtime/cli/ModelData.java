package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.DatasetException;

/** Dataset loading for the CLI, with the loader's messages passed through as usage errors. */
final class ModelData {
    private ModelData() {
    }

    static Dataset load(Path csv) {
        if (!Files.exists(csv)) {
            throw new CliException("data file not found: " + csv);
        }
        try {
            return CsvDatasets.load(csv);
        } catch (DatasetException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** The checkout (pnn.home, set by ./pnn) when it holds {@code relative}; null otherwise. */
    static Path checkoutWith(String relative) {
        return Checkout.find(relative).map(p -> Checkout.root().orElseThrow()).orElse(null);
    }

    /** The project's development signing key, when running from a checkout. */
    static Path developmentKey() {
        String key = "src/dist/dev-keys/pnn-dev.key";
        Path root = checkoutWith(key);
        return root == null ? null : root.resolve(key);
    }
}

package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;

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

    /** The project's development signing key: under pnn.home (set by ./pnn), or above the working directory. */
    static Path developmentKey() {
        String home = System.getProperty("pnn.home");
        if (home != null) {
            Path k = Path.of(home).resolve("src/dist/dev-keys/pnn-dev.key");
            if (Files.exists(k)) {
                return k;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path k = dir.resolve("src/dist/dev-keys/pnn-dev.key");
            if (Files.exists(k)) {
                return k;
            }
        }
        return null;
    }
}

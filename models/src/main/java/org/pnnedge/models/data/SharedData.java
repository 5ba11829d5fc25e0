package org.pnnedge.models.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the optional real data lives: {@code ../shared/data} next to the project root, or the directory named
 * by the system property or environment variable {@value #OVERRIDE}. The data is never part of the repository,
 * so callers must cope with it being absent (tests skip, naming the path).
 */
public final class SharedData {
    /** System property and environment variable that override the data directory. */
    public static final String OVERRIDE = "PNN_DATA_DIR";
    /** Relative to the data directory. */
    public static final String HILLENBRAND = "hillenbrand/vowdata.dat";
    /** Relative to the data directory: the PAT 7-vowel training split. */
    public static final String VOWELS_TRAIN = "vowels/train.csv";

    private SharedData() {
    }

    /**
     * The data directory (which may not exist): the override if set, else {@code <project root>/../shared/data},
     * else {@code ../shared/data} relative to the working directory.
     */
    public static Path dataDir() {
        String o = System.getProperty(OVERRIDE);
        if (o == null || o.isBlank()) {
            o = System.getenv(OVERRIDE);
        }
        if (o != null && !o.isBlank()) {
            return Path.of(o).toAbsolutePath().normalize();
        }
        Path base = projectRoot().orElse(Path.of("").toAbsolutePath());
        return base.toAbsolutePath().normalize().resolveSibling("shared/data");
    }

    /** {@code dataDir().resolve(relative)}. */
    public static Path resolve(String relative) {
        return dataDir().resolve(relative);
    }

    public static Path hillenbrandFile() {
        return resolve(HILLENBRAND);
    }

    public static Path vowelsTrainCsv() {
        return resolve(VOWELS_TRAIN);
    }

    /** The project root: {@link Checkout#root()} (the system property pnn.home). */
    public static Optional<Path> projectRoot() {
        return Checkout.root();
    }
}

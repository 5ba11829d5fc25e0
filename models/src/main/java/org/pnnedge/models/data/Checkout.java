package org.pnnedge.models.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The PNN Edge checkout (shipped bundles and keys in {@code src/dist}, documentation in {@code src/site}), as named
 * by the system property {@value #PROPERTY}: {@code ./pnn}, the bench scripts and the Maven build (surefire's
 * systemPropertyVariables) set it. Nothing searches the directories above the working directory for it, so a
 * program started another way simply has no checkout, and a test says which property is missing.
 */
public final class Checkout {
    /** The system property naming the checkout's root. */
    public static final String PROPERTY = "pnn.home";

    private Checkout() {
    }

    /** The checkout's root, when {@value #PROPERTY} is set. */
    public static Optional<Path> root() {
        String home = System.getProperty(PROPERTY);
        return home == null || home.isBlank() ? Optional.empty()
                : Optional.of(Path.of(home).toAbsolutePath().normalize());
    }

    /** {@code relative} inside the checkout, when {@value #PROPERTY} is set and the file exists. */
    public static Optional<Path> find(String relative) {
        return root().map(r -> r.resolve(relative)).filter(Files::exists);
    }

    /**
     * The checkout's root, which must be set (tests).
     *
     * @throws IllegalStateException naming the property when it is unset
     */
    public static Path requireRoot() {
        return root().orElseThrow(() -> new IllegalStateException("system property " + PROPERTY
                + " is not set: run through Maven, ./pnn or bench/*.sh, or pass -D" + PROPERTY + "=<checkout>"));
    }

    /**
     * {@code relative} inside the checkout, which must exist (test fixtures such as
     * {@code src/dist/models/vowels7.pnnb}).
     *
     * @throws IllegalStateException naming the property when it is unset or the file is missing
     */
    public static Path require(String relative) {
        Path root = requireRoot();
        Path p = root.resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(relative + " not found in " + PROPERTY + "=" + root);
        }
        return p;
    }
}

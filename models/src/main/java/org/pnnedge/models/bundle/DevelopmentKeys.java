package org.pnnedge.models.bundle;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Development keys: keys whose private half is not secret enough for production (a key made on a developer's
 * machine for the demo, the tests and {@code pnn train}). Bundles they sign load, but with a warning, and
 * {@link ModelBundle#developmentKey()} is set so a runtime can refuse them in production (every default does).
 *
 * <p>A key is a development key when its key file says {@code # development: true} (what
 * {@code pnn keygen --dev} and {@link #loadOrCreate} write) or its id is listed in {@link #KNOWN}: keys whose
 * private half was ever published, so a copy whose marker was removed is still recognised.
 *
 * <p>The local development key ({@link #loadOrCreate}) is made on first use, per user, outside any checkout:
 * {@code $XDG_CONFIG_HOME/pnn-edge/dev-keys/pnn-dev.key} (default {@code ~/.config/pnn-edge/dev-keys}), or the
 * directory named by the system property {@value #DIRECTORY_PROPERTY} (the Maven build points it into
 * {@code target/}). No private key is in git.
 */
public final class DevelopmentKeys {
    /**
     * Ids of development keys whose private half was published: {@code e9d4606220eb17d3} was committed to the
     * repository (src/dist/dev-keys/pnn-dev.key, removed in 0.1.0) and signed the default bundle until then.
     */
    public static final Set<String> KNOWN = Set.of("e9d4606220eb17d3");

    /** The warning shown when a bundle signed by a development key is loaded. */
    public static final String WARNING = "signed with a DEVELOPMENT key: anyone can sign bundles with it; "
            + "re-sign with your own key for production (see bundle.md)";

    /** System property naming the directory of the local development key (overrides the per-user default). */
    public static final String DIRECTORY_PROPERTY = "pnn.dev_keys";
    /** File names of the local development key pair inside its directory. */
    public static final String PRIVATE_FILE = "pnn-dev.key";
    public static final String PUBLIC_FILE = "pnn-dev.pub";

    private DevelopmentKeys() {
    }

    public static boolean isKnownDevelopmentKey(String keyId) {
        return KNOWN.contains(keyId);
    }

    /** Where the local development key lives: {@value #DIRECTORY_PROPERTY}, else the per-user config directory. */
    public static Path defaultDirectory() {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("pnn-edge").resolve("dev-keys").toAbsolutePath();
    }

    /** The local development key in {@link #defaultDirectory()}, created there on first use. */
    public static SigningKey loadOrCreate() throws IOException {
        return loadOrCreate(defaultDirectory());
    }

    /**
     * The development key pair in {@code dir} ({@value #PRIVATE_FILE} mode 0600, {@value #PUBLIC_FILE}, the
     * directory 0700), generated when missing. Safe when several processes start at once: each file is written
     * under a temporary name and linked into place, which fails rather than replaces, so every process ends up
     * with the one key that got there first and nobody ever reads half a file.
     */
    public static SigningKey loadOrCreate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE);
        if (!Files.exists(priv)) {
            createDirectory(dir);
            SigningKey fresh = KeyFiles.generate(true);
            Path tmp = dir.resolve(PRIVATE_FILE + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            try {
                KeyFiles.writePrivate(tmp, fresh, false);
                Files.createLink(priv, tmp);
            } catch (FileAlreadyExistsException e) {
                // another process created it first: use theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        SigningKey key = KeyFiles.readPrivate(priv);
        if (!key.development()) {
            throw new IllegalArgumentException(priv + " is not marked as a development key (# development: true)");
        }
        Path pub = dir.resolve(PUBLIC_FILE);
        if (!Files.exists(pub) || !KeyFiles.readPublic(pub).keyId().equals(key.keyId())) {
            Path tmp = dir.resolve(PUBLIC_FILE + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            try {
                KeyFiles.writePublic(tmp, key.publicKey(), true, false);
                Files.move(tmp, pub, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE); // same content from every racer
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return key;
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}

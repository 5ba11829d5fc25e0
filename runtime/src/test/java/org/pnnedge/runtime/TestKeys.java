package org.pnnedge.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.pnnedge.models.bundle.DevelopmentKeys;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.data.Checkout;

/**
 * Keys for tests: the committed release public key that signs the shipped bundle, and the local development key
 * (made on first use in the directory the build names with {@code pnn.dev_keys}, under target/) that tests sign
 * their own updates with and trust explicitly.
 */
public final class TestKeys {
    private TestKeys() {
    }

    /** The release public key that signs src/dist/models/vowels7.pnnb. */
    public static Path release() {
        return Checkout.require("src/dist/keys/pnn-release.pub");
    }

    /** The local development key (its public half: {@link #devPublic()}). */
    public static SigningKey dev() {
        try {
            return DevelopmentKeys.loadOrCreate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path devPublic() {
        dev();
        return DevelopmentKeys.defaultDirectory().resolve(DevelopmentKeys.PUBLIC_FILE);
    }

    /** A directory trusting both (for bundle.trusted_keys): the shipped bundle and the tests' own updates. */
    public static synchronized Path releaseAndDev() {
        Path dir = DevelopmentKeys.defaultDirectory().resolveSibling("trusted-release-and-dev");
        try {
            Files.createDirectories(dir);
            Files.copy(release(), dir.resolve("pnn-release.pub"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(devPublic(), dir.resolve("pnn-dev.pub"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}

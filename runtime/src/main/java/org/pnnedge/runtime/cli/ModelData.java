package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.pnnedge.models.bundle.DevelopmentKeys;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.SigningKey;
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

    /**
     * This user's development signing key, created on first use (DevelopmentKeys: per user, never in git); its
     * public half is {@code pnn-dev.pub} beside it.
     */
    static Path developmentKey() {
        Path dir = DevelopmentKeys.defaultDirectory();
        try {
            DevelopmentKeys.loadOrCreate(dir);
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot create or read the development key in " + dir + ": " + e.getMessage()
                    + " (or give --key)", e);
        }
        return dir.resolve(DevelopmentKeys.PRIVATE_FILE);
    }

    /** The private key of {@code --key}, or a usage error naming the file and what is wrong with it. */
    static SigningKey signingKey(Path keyFile) {
        try {
            return KeyFiles.readPrivate(keyFile);
        } catch (NoSuchFileException e) {
            throw new CliException("--key: no such file: " + keyFile);
        } catch (IOException e) {
            throw FileProblem.unreadable("--key", keyFile, e);
        }
    }

    /**
     * The release public keys shipped with PNN Edge: the checkout's {@code src/dist/keys}, or the installation's
     * {@code keys/} (the packaged launcher names it with the system property {@code pnn.keys}); null when neither.
     */
    static Path shippedKeys() {
        return Checkout.find("src/dist/keys").or(() -> Optional.ofNullable(System.getProperty("pnn.keys"))
                .map(Path::of).filter(Files::isDirectory)).orElse(null);
    }
}

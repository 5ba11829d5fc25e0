package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.DevelopmentKeys;
import org.pnnedge.models.bundle.ManifestJson;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sign", description = "Check a model manifest (plain JSON) against the bundle schema and write it as a "
        + "signed model bundle.")
final class SignCommand implements Callable<Integer> {
    @Option(names = "--manifest", required = true, paramLabel = "MANIFEST.json", description = "The manifest to sign.")
    Path manifest;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "Private key file (from pnn keygen).")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "Bundle to write (replaced if it exists).")
    Path out;

    @Option(names = "--gzip", description = "Compress the bundle (readers detect gzip by its magic bytes).")
    boolean gzip;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws BundleException {
        OutputFile.notInput("--out", out, "--manifest", manifest);
        OutputFile.notInput("--out", out, "--key", key);
        BundleManifest m = ManifestJson.read(readManifest());
        SigningKey k = ModelData.signingKey(key);
        try {
            Bundles.write(out, m, k, gzip);
        } catch (IOException e) {
            throw FileProblem.unwritable("--out", out, e);
        }
        // read back exactly what was written, as a device would: never hand out a bundle that does not load
        ModelBundle b = Bundles.load(out, TrustedKeys.of(k.trusted()));
        PrintWriter o = spec.commandLine().getOut();
        o.printf("signed      %s %s -> %s%n", m.modelId(), m.version(), out);
        o.printf("key id      %s%s%n", k.keyId(), k.development() ? " (DEVELOPMENT key)" : "");
        o.printf("sha256      %s%n", b.payloadSha256());
        try {
            o.printf("size        %d bytes%s%n", Files.size(out), gzip ? " (gzip)" : "");
        } catch (IOException e) {
            // only cosmetic
        }
        if (k.development()) {
            o.println("warning     " + DevelopmentKeys.WARNING);
        }
        return 0;
    }

    private byte[] readManifest() {
        byte[] bytes;
        try {
            if (Files.size(manifest) > Bundles.DEFAULT_MAX_BYTES) {
                throw new CliException(manifest + " is larger than the bundle size limit (" + Bundles.DEFAULT_MAX_BYTES
                        + " bytes)");
            }
            bytes = Files.readAllBytes(manifest);
        } catch (NoSuchFileException e) {
            throw new CliException("--manifest: no such file: " + manifest);
        } catch (IOException e) {
            throw FileProblem.unreadable("--manifest", manifest, e);
        }
        // a common mix-up: signing a bundle instead of its manifest
        try {
            JsonNode tree = Json.MAPPER.readTree(bytes);
            if (tree != null && tree.has("format") && tree.has("payload")) {
                throw new CliException(manifest + " is a bundle, not a manifest; get its manifest with "
                        + "'pnn verify --bundle " + manifest + " --extract-manifest FILE'");
            }
        } catch (IOException e) {
            // not JSON: ManifestJson.read reports it precisely
        }
        return bytes;
    }
}

package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleInspection;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.BundleReader;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.DevelopmentKeys;
import org.pnnedge.models.bundle.DeviceRequirements;
import org.pnnedge.models.bundle.ManifestJson;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = {
        "Check a model bundle (size, format, schema, payload hash, Ed25519 signature) and show what is inside.",
        "Exit codes: 0 valid and signed by a trusted key; 4 rejected (the reason is printed);",
        "5 intact but UNVERIFIED (no --trust given, so the signature was not checked); 2 bad usage."})
final class VerifyCommand implements Callable<Integer> {
    /** Intact but not verified: scripts doing {@code pnn verify && install} must not pass without trust. */
    static final int EXIT_UNVERIFIED = 5;

    @Option(names = "--bundle", required = true, paramLabel = "BUNDLE", description = "The bundle to check.")
    Path bundle;

    @Option(names = "--trust", paramLabel = "PUBKEY_OR_DIR",
            description = "Trusted public key file, or a directory of *.pub files; repeatable. "
                    + "Without it the signature is not checked and the result is UNVERIFIED.")
    List<Path> trust;

    @Option(names = "--json", description = "Print machine-readable JSON (also for a rejection).")
    boolean json;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "" + Bundles.DEFAULT_MAX_BYTES,
            description = "Largest accepted bundle in bytes (default ${DEFAULT-VALUE}).")
    long maxSize;

    @Option(names = "--extract-manifest", paramLabel = "FILE",
            description = "Also write the manifest as indented JSON (e.g. to re-sign it with your own key).")
    Path extract;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws BundleException {
        if (maxSize < 1 || maxSize > Integer.MAX_VALUE - 16) {
            throw new CliException("--max-size must be in 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxSize);
        }
        if (extract != null) {
            OutputFile.check("--extract-manifest", extract);
            OutputFile.notInput("--extract-manifest", extract, "--bundle", bundle);
        }
        BundleReader reader = new BundleReader(maxSize);
        TrustedKeys keys = trustedKeys();
        PrintWriter out = spec.commandLine().getOut();
        byte[] bytes = BundleFile.read(reader, bundle); // unreadable: exit 2 even with --json, not "REJECTED"
        try {
            if (keys == null) {
                BundleInspection i = reader.inspect(bytes);
                String status = i.signed() ? "UNVERIFIED: the signature (key " + i.keyId() + ") was NOT checked; "
                        + "pass --trust to verify it" : "UNVERIFIED: the bundle is NOT signed";
                report(out, "UNVERIFIED", status, i.manifest(), i.keyId(), false, i.payloadSha256());
                extract(i.manifest());
                return EXIT_UNVERIFIED;
            }
            ModelBundle b = reader.load(bytes, keys);
            String source = keys.find(b.keyId()).map(k -> " (" + k.source() + ")").orElse("");
            report(out, "VALID", "VALID: signed by trusted key " + b.keyId() + source, b.manifest(), b.keyId(),
                    b.developmentKey(), b.payloadSha256());
            extract(b.manifest());
            return 0;
        } catch (BundleException e) {
            if (!json) {
                throw e; // ErrorHandler prints it and exits with EXIT_BUNDLE
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "REJECTED");
            m.put("valid", false);
            m.put("bundle", bundle.toString());
            m.put("reason", e.reason().name());
            m.put("message", e.getMessage());
            out.println(Json.write(m));
            return ErrorHandler.EXIT_BUNDLE;
        }
    }

    private TrustedKeys trustedKeys() {
        if (trust == null || trust.isEmpty()) {
            return null;
        }
        try {
            return EvalCommand.loadTrust(trust);
        } catch (IOException e) {
            throw new CliException("--trust: cannot read trusted keys: " + e, e);
        }
    }

    private void report(PrintWriter out, String status, String statusLine, BundleManifest m, String keyId,
                        boolean devKey, String sha256) {
        DeviceRequirements d = m.device();
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("status", status);
            r.put("valid", "VALID".equals(status));
            r.put("bundle", bundle.toString());
            r.put("model_id", m.modelId());
            r.put("version", m.version().toString());
            r.put("created", m.created().toString());
            r.put("labels", m.labels());
            r.put("feature_layout", m.featureLayout()); // null: the legacy layout (audio.md)
            Map<String, Object> dev = new LinkedHashMap<>();
            dev.put("physics", d.physicsKind());
            dev.put("protocol", d.protocolVersion());
            dev.put("inputs", d.inputs());
            dev.put("params", d.params());
            dev.put("outputs", d.outputs());
            dev.put("dac_bits", d.dacBits());
            dev.put("adc_bits", d.adcBits());
            r.put("device", dev);
            r.put("probes", m.probes().size());
            r.put("metrics", m.metrics());
            r.put("key_id", keyId);
            r.put("development_key", devKey);
            r.put("payload_sha256", sha256);
            out.println(Json.write(r));
            return;
        }
        out.printf("status      %s%n", statusLine);
        if (devKey) {
            out.printf("warning     %s%n", DevelopmentKeys.WARNING);
        }
        out.printf("model       %s %s%n", m.modelId(), m.version());
        out.printf("created     %s%n", m.created());
        out.printf("labels      %s%n", m.labels().isEmpty() ? "(none)" : String.join(", ", m.labels()));
        if (m.featureLayout() != null) {
            out.printf("features    %s (feature layout, audio.md)%n", m.featureLayout());
        }
        out.printf("physics     %s, protocol v%d: %d inputs, %d params, %d outputs, DAC %d-bit, ADC %d-bit%n",
                d.physicsKind(), d.protocolVersion(), d.inputs(), d.params(), d.outputs(), d.dacBits(), d.adcBits());
        out.printf("probes      %d%n", m.probes().size());
        if (!m.metrics().isEmpty()) {
            out.printf("metrics     %s%n", m.metrics().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        out.printf("key id      %s%n", keyId == null ? "(unsigned)" : keyId);
        out.printf("sha256      %s%n", sha256);
    }

    private void extract(BundleManifest m) {
        if (extract == null) {
            return;
        }
        try {
            Files.writeString(extract, ManifestJson.writePretty(m) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileProblem.unwritable("--extract-manifest", extract, e);
        }
    }
}

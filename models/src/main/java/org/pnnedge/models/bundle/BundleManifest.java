package org.pnnedge.models.bundle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything a model bundle says about a model: typed header fields the bundle layer checks, and opaque JSON
 * sections ({@code network}, {@code twin}) whose schema belongs to the model code. It is the signed payload
 * of a bundle; see {@code src/site/markdown/bundle.md}.
 *
 * @param formatVersion bundle format version, {@link Bundles#MIN_FORMAT_VERSION} to {@link Bundles#FORMAT_VERSION}
 * @param modelId       stable model name, {@code [A-Za-z0-9._-]{1,128}}
 * @param version       semantic version of this model (newer bundles of the same id replace older ones)
 * @param created       when the bundle content was produced
 * @param labels        class labels of the readout, in output order (may be empty for regression)
 * @param normalization feature normalisation, or {@code null} when features are fed as they are
 * @param featureLayout what the input features are (e.g. {@code bark13}; the ids are the model code's), or
 *                      {@code null} for the legacy layout; format version 2 only
 * @param device        what the device must be
 * @param network       JSON object: layers with their parameter codes, digital operations, readout
 * @param twin          digital-twin weights (JSON), or {@code null}
 * @param probes        reference inputs with the outputs measured at training time
 * @param provenance    how the model was made, or {@code null}
 * @param metrics       named evaluation results (e.g. {@code test_accuracy}), finite numbers
 */
public record BundleManifest(@JsonProperty(required = true) int formatVersion,
                             @JsonProperty(required = true) String modelId,
                             @JsonProperty(required = true) SemVer version,
                             @JsonProperty(required = true) Instant created,
                             List<String> labels,
                             FeatureNormalization normalization,
                             String featureLayout,
                             @JsonProperty(required = true) DeviceRequirements device,
                             @JsonProperty(required = true) JsonNode network,
                             JsonNode twin,
                             List<Probe> probes,
                             Provenance provenance,
                             Map<String, Double> metrics) {
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern LAYOUT_ID = Pattern.compile("[a-z0-9._-]{1,32}");

    public BundleManifest {
        if (formatVersion < Bundles.MIN_FORMAT_VERSION || formatVersion > Bundles.FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion must be " + Bundles.MIN_FORMAT_VERSION + " to "
                    + Bundles.FORMAT_VERSION + ", got " + formatVersion);
        }
        checkModelId(modelId);
        if (featureLayout != null) {
            if (!LAYOUT_ID.matcher(featureLayout).matches()) {
                throw new IllegalArgumentException("featureLayout must match [a-z0-9._-]{1,32}, got '" + featureLayout
                        + "'");
            }
            if (formatVersion < 2) {
                // a format-1 reader would not know the field: such a model must be refused by its version
                throw new IllegalArgumentException("featureLayout needs formatVersion 2, got " + formatVersion);
            }
        }
        Objects.requireNonNull(version, "version is required");
        Objects.requireNonNull(created, "created is required");
        if (device == null) {
            throw new IllegalArgumentException("device is required");
        }
        labels = List.copyOf(labels == null ? List.of() : labels);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).isBlank()) {
                throw new IllegalArgumentException("labels[" + i + "] is blank");
            }
            if (!seen.add(labels.get(i))) {
                throw new IllegalArgumentException("labels[" + i + "] '" + labels.get(i) + "' appears twice");
            }
        }
        if (network == null || !network.isObject()) {
            throw new IllegalArgumentException("network must be a JSON object, got "
                    + (network == null ? "nothing" : network.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        network = network.deepCopy(); // a caller mutating its tree must not change a manifest (or its hash)
        if (twin != null && twin.isNull()) {
            twin = null; // "twin": null and no twin are the same thing
        }
        twin = twin == null ? null : twin.deepCopy();
        probes = List.copyOf(probes == null ? List.of() : probes);
        for (int i = 0; i < probes.size(); i++) {
            probes.get(i).checkAgainst(device, "probes[" + i + "]");
        }
        // sorted, so the serialised form (and hence the hash) does not depend on map insertion order
        TreeMap<String, Double> m = new TreeMap<>();
        if (metrics != null) {
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                if (e.getKey() == null || e.getValue() == null || !Double.isFinite(e.getValue())) {
                    throw new IllegalArgumentException("metrics." + e.getKey() + " must be a finite number, got "
                            + e.getValue());
                }
                m.put(e.getKey(), e.getValue());
            }
        }
        metrics = Collections.unmodifiableSortedMap(m);
    }

    /** Refuses a model id a manifest cannot carry (also for tools that check it before making one). */
    public static void checkModelId(String modelId) {
        if (modelId == null || !MODEL_ID.matcher(modelId).matches()) {
            throw new IllegalArgumentException("modelId must match [A-Za-z0-9._-]{1,128}, got "
                    + (modelId == null ? "null" : "'" + modelId + "'"));
        }
    }

    @Override
    public JsonNode network() {
        return network.deepCopy();
    }

    @Override
    public JsonNode twin() {
        return twin == null ? null : twin.deepCopy();
    }

    public static Builder builder(String modelId, String version, DeviceRequirements device) {
        return new Builder(modelId, SemVer.parse(version), device);
    }

    /** Copy with another version, e.g. for a retrained model. */
    public BundleManifest withVersion(SemVer v) {
        return new BundleManifest(formatVersion, modelId, v, created, labels, normalization, featureLayout, device,
                network, twin, probes, provenance, metrics);
    }

    /** Fills the optional parts step by step; {@code created} defaults to now (whole seconds). */
    public static final class Builder {
        private final String modelId;
        private final SemVer version;
        private final DeviceRequirements device;
        private int formatVersion = Bundles.MIN_FORMAT_VERSION;
        private Instant created = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        private List<String> labels = List.of();
        private FeatureNormalization normalization;
        private String featureLayout;
        private JsonNode network;
        private JsonNode twin;
        private final List<Probe> probes = new ArrayList<>();
        private Provenance provenance;
        private final Map<String, Double> metrics = new TreeMap<>();

        private Builder(String modelId, SemVer version, DeviceRequirements device) {
            this.modelId = modelId;
            this.version = version;
            this.device = device;
        }

        /** Format version of the bundle (default 1; 2 for deep and hybrid networks, see bundle.md). */
        public Builder formatVersion(int v) {
            this.formatVersion = v;
            return this;
        }

        public Builder created(Instant t) {
            this.created = t;
            return this;
        }

        public Builder labels(List<String> l) {
            this.labels = l;
            return this;
        }

        public Builder normalization(FeatureNormalization n) {
            this.normalization = n;
            return this;
        }

        /** Id of the feature layout (null: legacy); needs format version 2. */
        public Builder featureLayout(String id) {
            this.featureLayout = id;
            return this;
        }

        public Builder network(JsonNode n) {
            this.network = n;
            return this;
        }

        public Builder twin(JsonNode t) {
            this.twin = t;
            return this;
        }

        public Builder probe(Probe p) {
            this.probes.add(p);
            return this;
        }

        public Builder provenance(Provenance p) {
            this.provenance = p;
            return this;
        }

        public Builder metric(String name, double value) {
            this.metrics.put(name, value);
            return this;
        }

        public BundleManifest build() {
            return new BundleManifest(formatVersion, modelId, version, created, labels, normalization, featureLayout,
                    device, network, twin, probes, provenance, metrics);
        }
    }
}

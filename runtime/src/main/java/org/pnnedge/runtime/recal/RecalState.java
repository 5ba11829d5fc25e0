package org.pnnedge.runtime.recal;

import org.pnnedge.runtime.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinCodec;
import org.pnnedge.runtime.service.OutputCorrection;

/**
 * What recalibration keeps across restarts: the adopted output correction and the current twin, for one bundle
 * (by payload hash) on one device (by serial). Stored as {@value #FILE} in the state directory, replaced atomically
 * (temporary file, fsync, rename), so a power cut leaves either the old or the new state, never half of one.
 * <pre>
 * {"format": "pnn-recal-state", "formatVersion": 1, "modelId": "vowels7", "modelVersion": "1.0.0",
 *  "bundleSha256": "…", "deviceSerial": "010A2DEC89025CC1", "saved": "2026-…Z",
 *  "correction": {"gain": [[…16…]], "offset": [[…16…]]}, "twin": {"type": "shg-greybox", …} | null}
 * </pre>
 *
 * @param twin may be null (the bundle has no twin)
 */
public record RecalState(String modelId, String modelVersion, String bundleSha256, String deviceSerial,
                         Instant saved, OutputCorrection correction, TrainableTwin twin) {
    public static final String FILE = "recal-state.json";
    /** The last report, written after every run. */
    public static final String REPORT_FILE = "last-report.json";
    static final String FORMAT = "pnn-recal-state";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public RecalState {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(bundleSha256, "bundleSha256");
        Objects.requireNonNull(deviceSerial, "deviceSerial");
        Objects.requireNonNull(saved, "saved");
        Objects.requireNonNull(correction, "correction");
    }

    public static RecalState of(ModelBundle bundle, DeviceInfo device, OutputCorrection correction,
                                TrainableTwin twin) {
        return new RecalState(bundle.manifest().modelId(), bundle.manifest().version().toString(),
                bundle.payloadSha256(), device.serialHex(), Instant.now(), correction, twin);
    }

    /** True when this state was made for this exact bundle (payload hash) on this device (serial). */
    public boolean appliesTo(ModelBundle bundle, DeviceInfo device) {
        return bundleSha256.equals(bundle.payloadSha256()) && deviceSerial.equals(device.serialHex())
                && correction.layers() == layersOf(bundle);
    }

    private static int layersOf(ModelBundle bundle) {
        JsonNode arch = bundle.manifest().network().path("architecture");
        return arch.path("layers").asInt(-1);
    }

    public ObjectNode toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.put("formatVersion", 1);
        o.put("modelId", modelId);
        o.put("modelVersion", modelVersion);
        o.put("bundleSha256", bundleSha256);
        o.put("deviceSerial", deviceSerial);
        o.put("saved", saved.toString());
        ObjectNode c = o.putObject("correction");
        c.set("gain", MAPPER.valueToTree(correction.gain()));
        c.set("offset", MAPPER.valueToTree(correction.offset()));
        if (twin == null) {
            o.putNull("twin");
        } else {
            o.set("twin", TwinCodec.toJson(twin));
        }
        return o;
    }

    /** Writes {@value #FILE} into {@code dir} (created if needed), atomically. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(FILE), (toJson().toString() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The state saved in {@code dir}, or empty when there is none.
     *
     * @throws IOException when the file exists but cannot be read or is malformed (the message names the file)
     */
    public static Optional<RecalState> load(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        JsonNode o;
        try {
            o = MAPPER.readTree(f.toFile());
        } catch (IOException e) {
            throw new IOException(f + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            if (o == null || !FORMAT.equals(o.path("format").asText()) || o.path("formatVersion").asInt() != 1) {
                throw new IllegalArgumentException("not a " + FORMAT + " version 1 file");
            }
            JsonNode c = need(o, "correction");
            OutputCorrection corr = new OutputCorrection(MAPPER.treeToValue(need(c, "gain"), double[][].class),
                    MAPPER.treeToValue(need(c, "offset"), double[][].class));
            JsonNode t = o.get("twin");
            TrainableTwin twin = t == null || t.isNull() ? null : TwinCodec.fromJson(t);
            return Optional.of(new RecalState(text(o, "modelId"), text(o, "modelVersion"), text(o, "bundleSha256"),
                    text(o, "deviceSerial"), Instant.parse(text(o, "saved")), corr, twin));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    /**
     * The saved state if it applies to {@code bundle} on {@code device} (the service's start-up path); a state for
     * another bundle or device is ignored.
     */
    public static Optional<RecalState> loadFor(Path dir, ModelBundle bundle, DeviceInfo device) throws IOException {
        return load(dir).filter(s -> s.appliesTo(bundle, device));
    }

    /** The last report saved in {@code dir} ({@value #REPORT_FILE}), if any. */
    public static Optional<JsonNode> lastReport(Path dir) throws IOException {
        Path f = dir.resolve(REPORT_FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(MAPPER.readTree(f.toFile()));
    }

    static void saveReport(Path dir, RecalReport report) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(REPORT_FILE),
                (report.toJson().toString() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode need(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return n;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = need(o, field);
        if (!n.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return n.asText();
    }
}

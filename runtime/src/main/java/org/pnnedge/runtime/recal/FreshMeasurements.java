package org.pnnedge.runtime.recal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.runtime.io.AtomicFiles;

/**
 * The measurements an alarm leaves for an offline trainer: fresh shots as a characterization file and the probes
 * as measured now, in a directory that keeps the newest {@link #KEEP} sets.
 */
final class FreshMeasurements {
    /** Alarm measurement sets kept in the fresh directory (older ones are deleted). */
    static final int KEEP = Recalibrator.KEEP_FRESH;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FreshMeasurements() {
    }

    /**
     * Writes {@code fresh-<stamp>.csv} (characterization file, models.md) and {@code fresh-<stamp>-probes.json}
     * (the probes as measured now, bundle probe format plus the reference) into the fresh directory; keeps the
     * newest {@link #KEEP} sets. Returns the characterization file, or the probe file when there were no
     * fresh shots.
     */
    static Path write(Path freshDir, Characterization fresh, List<ProbeMeasurement> ms, ModelBundle bundle,
                      DeviceInfo info) throws IOException {
        Files.createDirectories(freshDir);
        String stamp = "fresh-" + STAMP.format(Instant.now());
        Path csv = freshDir.resolve(stamp + ".csv");
        Path probes = freshDir.resolve(stamp + "-probes.json");
        if (fresh != null) {
            Path tmp = AtomicFiles.tempFor(csv);
            try {
                fresh.write(tmp);
                AtomicFiles.commit(tmp, csv);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", "pnn-recal-probes");
        o.put("formatVersion", 1);
        o.put("modelId", bundle.manifest().modelId());
        o.put("modelVersion", bundle.manifest().version().toString());
        o.put("bundleSha256", bundle.payloadSha256());
        o.put("deviceSerial", info.serialHex());
        o.put("measured", Instant.now().toString());
        ArrayNode arr = o.putArray("probes");
        for (ProbeMeasurement m : ms) {
            ObjectNode p = arr.addObject();
            p.put("layer", m.probe().layer());
            p.set("input", MAPPER.valueToTree(m.probe().input()));
            if (m.probe().params() != null) {
                p.set("params", MAPPER.valueToTree(m.probe().params()));
            }
            p.set("expectedOutput", MAPPER.valueToTree(m.probe().expectedOutput()));
            p.set("measuredOutput", MAPPER.valueToTree(m.mean()));
            p.set("measuredStd", MAPPER.valueToTree(m.std()));
            p.put("repeats", m.repeats());
        }
        AtomicFiles.write(probes, (o.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        prune(freshDir);
        return fresh != null ? csv : probes;
    }

    private static void prune(Path freshDir) throws IOException {
        List<String> stamps;
        try (Stream<Path> s = Files.list(freshDir)) {
            stamps = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("fresh-") && n.endsWith("-probes.json"))
                    .map(n -> n.substring(0, n.length() - "-probes.json".length()))
                    .sorted().toList();
        }
        for (int i = 0; i < stamps.size() - KEEP; i++) {
            Files.deleteIfExists(freshDir.resolve(stamps.get(i) + ".csv"));
            Files.deleteIfExists(freshDir.resolve(stamps.get(i) + "-probes.json"));
        }
    }
}

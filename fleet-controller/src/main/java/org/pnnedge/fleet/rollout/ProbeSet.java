package org.pnnedge.fleet.rollout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.fleet.rollout.RolloutException.Kind;

/**
 * The labelled probes a soak sends ({@code --soak-probes FILE}): a CSV of {@code feature,…,feature,label} rows,
 * the features in the units the bundle's network takes (what a device's inference request carries), the label a
 * class name of the bundle or its index. An optional header line (a first line whose features are not numbers),
 * blank lines and {@code #} comments are skipped. Bounded: {@link #MAX_ROWS} rows, {@link #MAX_BYTES} bytes.
 * Kept with the rollout as JSON, so a resumed controller needs no file.
 *
 * @param source   the file it was read from (shown in the status)
 * @param sha256   of the file's bytes
 * @param features one row per probe
 * @param labels   each probe's class index in the bundle's label list
 */
public record ProbeSet(String source, String sha256, List<double[]> features, int[] labels) {
    static final int MAX_ROWS = 10_000;
    static final long MAX_BYTES = 4L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    public int size() {
        return labels.length;
    }

    /** Reads {@code file}, checking every row against the bundle's input width and labels. */
    public static ProbeSet read(Path file, VerifiedBundle bundle) throws RolloutException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw bad(file, "is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RolloutException(Kind.BAD_OPTION, "--soak-probes: cannot read " + file + ": " + e.getMessage());
        }
        if (bundle.features() < 1 || bundle.labels().isEmpty()) {
            throw bad(file, "cannot be checked: the bundle has no network with labelled classes");
        }
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != bundle.features() + 1) {
                throw bad(file, "line " + (n + 1) + " has " + f.length + " fields; the bundle's network takes "
                        + bundle.features() + " features, then the label");
            }
            double[] x = new double[bundle.features()];
            try {
                for (int i = 0; i < x.length; i++) {
                    x[i] = Double.parseDouble(f[i].strip());
                    if (!Double.isFinite(x[i])) {
                        throw bad(file, "line " + (n + 1) + ": feature " + (i + 1) + " is not finite");
                    }
                }
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && labels.isEmpty() && n == firstContentLine(lines)) {
                    continue; // a header
                }
                throw bad(file, "line " + (n + 1) + ": a feature is not a number (" + e.getMessage() + ")");
            }
            labels.add(label(f[f.length - 1].strip(), bundle, file, n + 1));
            rows.add(x);
            if (rows.size() > MAX_ROWS) {
                throw bad(file, "has more than " + MAX_ROWS + " probes");
            }
        }
        if (rows.isEmpty()) {
            throw bad(file, "has no probes");
        }
        return new ProbeSet(file.toString(), sha256(bytes), List.copyOf(rows),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int firstContentLine(String[] lines) {
        for (int n = 0; n < lines.length; n++) {
            String l = lines[n].strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                return n;
            }
        }
        return -1;
    }

    private static int label(String s, VerifiedBundle bundle, Path file, int line) throws RolloutException {
        int byName = bundle.labels().indexOf(s);
        if (byName >= 0) {
            return byName;
        }
        try {
            int i = Integer.parseInt(s);
            if (i >= 0 && i < bundle.labels().size()) {
                return i;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw bad(file, "line " + line + ": label '" + s + "' is neither a class of the bundle " + bundle.labels()
                + " nor an index 0.." + (bundle.labels().size() - 1));
    }

    private static RolloutException bad(Path file, String what) {
        return new RolloutException(Kind.BAD_OPTION, "--soak-probes " + file + " " + what + "; nothing was sent");
    }

    /** The stored form (migration V12). */
    String toJson() {
        ObjectNode o = JSON.createObjectNode().put("source", source).put("sha256", sha256);
        ArrayNode f = o.putArray("features");
        features.forEach(row -> {
            ArrayNode a = f.addArray();
            for (double v : row) {
                a.add(v);
            }
        });
        ArrayNode l = o.putArray("labels");
        for (int v : labels) {
            l.add(v);
        }
        return o.toString();
    }

    static ProbeSet fromJson(String json) throws IOException {
        JsonNode o = JSON.readTree(json);
        List<double[]> rows = new ArrayList<>();
        for (JsonNode r : o.get("features")) {
            double[] x = new double[r.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.get(i).asDouble();
            }
            rows.add(x);
        }
        int[] labels = new int[o.get("labels").size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = o.get("labels").get(i).asInt();
        }
        return new ProbeSet(o.path("source").asText(), o.path("sha256").asText(), List.copyOf(rows), labels);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

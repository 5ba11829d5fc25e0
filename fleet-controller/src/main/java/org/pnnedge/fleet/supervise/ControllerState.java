package org.pnnedge.fleet.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.pnnedge.runtime.io.AtomicFiles;

/**
 * What the supervisor last saw, as written to {@code status.json} (and read by {@code pnn fleet up}, {@code pnn
 * fleet status} and {@code pnn fleet controller status}).
 *
 * @param supervisorPid the supervisor's pid
 * @param started       when the supervisor started (ISO-8601)
 * @param stopping      the supervisor is stopping its children (SIGTERM received)
 * @param children      the children in start order
 */
public record ControllerState(long supervisorPid, String started, boolean stopping, List<Child> children) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A child's state: starting (not ready yet), ready, waiting to be restarted, given up, stopped. */
    public enum Phase { STARTING, READY, BACKOFF, FAILED, STOPPED }

    /**
     * One child.
     *
     * @param name     its name
     * @param pid      pid of its current (or last) process, 0 before the first start
     * @param phase    see {@link Phase}
     * @param restarts how often it was restarted after dying
     * @param url      the URL its ready line named ({@code serve}), "" otherwise
     * @param lastExit the exit code of its last process that died, -1 none
     * @param why      how its last process died, with the last line of its log (kept after a restart); "" none died
     */
    public record Child(String name, long pid, Phase phase, int restarts, String url, int lastExit, String why) {
    }

    public ControllerState {
        children = List.copyOf(children);
    }

    /** The child named {@code name}. */
    public Optional<Child> child(String name) {
        return children.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Writes it atomically (0600: the directory is the operator's). */
    void write(ControllerLayout layout) throws IOException {
        AtomicFiles.write(layout.statusFile(), JSON.writeValueAsBytes(this));
    }

    /** The last state written; empty when there is none (never started, or a file being replaced is not an error). */
    public static Optional<ControllerState> read(ControllerLayout layout) throws IOException {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(layout.statusFile()), ControllerState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** As JSON text (for {@code --json}). */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

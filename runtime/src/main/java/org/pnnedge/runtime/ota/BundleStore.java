package org.pnnedge.runtime.ota;

// About 400 lines: every write path and the crash recovery that undoes it are read together.

import org.pnnedge.runtime.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleReader;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.runtime.ota.CrashPoints.Point;
import org.tinylog.Logger;

/**
 * The model bundles of one device on disk: the one serving, the one before it (for rollback) and, during an
 * update, the candidate. Layout of the store directory:
 * <pre>
 * active.pnnb             the serving bundle (always a complete, verified file)
 * previous.pnnb           the bundle served before it (absent until the first update)
 * version-floor           the lowest version an update may have ({@link VersionFloor}); only rises
 * update.json             journal: present only while an update or rollback is in flight
 * staging/candidate.pnnb  the new bundle, verified, waiting for its self-test and the switch
 * staging/outgoing.pnnb   during a switch: a copy of the bundle being replaced, to become previous.pnnb
 * *.tmp                   temporary files of atomic writes; leftovers of a crash are deleted on open
 * </pre>
 * Every write goes to a temporary file in the same directory, is forced to disk, renamed atomically over its
 * target and the directory is forced. The <b>commit point</b> of an update is one rename:
 * {@code staging/candidate.pnnb → active.pnnb}. {@link #open} recovers from a crash at any point: before the
 * commit the old bundle stays active (the candidate is discarded); after it, the new bundle is active and the
 * switch is completed ({@code outgoing → previous.pnnb}). Details per step in {@code src/site/markdown/ota.md}.
 * <p>About 400 lines on purpose: the write order and the crash recovery of every step belong in one place, where
 * the commit point can be read next to what {@link #open} does for each crash point (CrashConsistencyTest).
 *
 * <p>Every bundle is re-verified (signature, hash, schema) against the trusted keys whenever it is loaded.
 * Thread-safe; one store per directory and process.
 */
public final class BundleStore {
    public static final String ACTIVE = "active.pnnb";
    public static final String PREVIOUS = "previous.pnnb";
    public static final String JOURNAL = "update.json";
    public static final String STAGING = "staging";
    public static final String CANDIDATE = "candidate.pnnb";
    public static final String OUTGOING = "outgoing.pnnb";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The update (or rollback) recorded in the journal while it is in flight.
     *
     * @param kind     {@code update} or {@code rollback}
     * @param updateId the sender's id for the update (from {@link UpdateOptions}), for status messages
     * @param sha256   payload SHA-256 of the bundle being installed
     */
    public record Journal(String kind, String updateId, String modelId, String version, String sha256, String keyId,
                          Instant started) {
        public Journal {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sha256, "sha256");
        }

        static Journal of(String kind, String updateId, ModelBundle b, Instant started) {
            return new Journal(kind, updateId, b.manifest().modelId(), b.manifest().version().toString(),
                    b.payloadSha256(), b.keyId(), started);
        }

        byte[] toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("kind", kind);
            o.put("updateId", updateId);
            o.put("modelId", modelId);
            o.put("version", version);
            o.put("sha256", sha256);
            o.put("keyId", keyId);
            o.put("started", started == null ? null : started.toString());
            return (o + "\n").getBytes(StandardCharsets.UTF_8);
        }

        static Journal parse(byte[] json) throws IOException {
            JsonNode o = JSON.readTree(json);
            if (o == null || !o.isObject() || !o.path("sha256").isTextual() || !o.path("kind").isTextual()) {
                throw new IOException("not a journal object");
            }
            String started = text(o, "started");
            return new Journal(o.get("kind").asText(), text(o, "updateId"), text(o, "modelId"), text(o, "version"),
                    o.get("sha256").asText(), text(o, "keyId"), started == null ? null : Instant.parse(started));
        }

        private static String text(JsonNode o, String f) {
            JsonNode v = o.get(f);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    /**
     * What {@link #open} found and did.
     *
     * @param interrupted     the update or rollback that was in flight when the previous process stopped
     *                        (from the journal), or {@code null}; when the journal was unreadable but staging
     *                        files were found, a journal of kind {@code unknown} with sha256 {@code ""}
     * @param updateCompleted true when that update had passed its commit point, so the new bundle is active;
     *                        false when it was rolled back and the bundle active before it still is
     * @param actions         what recovery did, in words (empty for a clean start)
     */
    public record Recovery(Journal interrupted, boolean updateCompleted, List<String> actions) {
        public Recovery {
            actions = List.copyOf(actions);
        }

        public boolean clean() {
            return interrupted == null && actions.isEmpty();
        }
    }

    private final Path dir;
    private final Path staging;
    private final TrustedKeys trusted;
    private final BundleReader reader;
    private final CrashPoints crash;
    private ModelBundle active;
    private Recovery recovery;
    private VersionFloor floor;

    private BundleStore(Path dir, TrustedKeys trusted, BundleReader reader, CrashPoints crash) {
        this.dir = dir.toAbsolutePath();
        this.staging = this.dir.resolve(STAGING);
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.crash = Objects.requireNonNull(crash, "crash");
    }

    /**
     * Opens (creating it if needed) the store in {@code dir}, recovers from an interrupted update and loads the
     * active bundle, verified against {@code trusted}. When there is no usable active bundle — an empty store,
     * or an active file that no longer verifies and no previous one that does — {@code initialBundleIfEmpty} is
     * verified and installed as active (the shipped default bundle); {@code null} leaves an empty store.
     *
     * @throws BundleException the initial bundle does not verify, or there is no usable bundle at all and no
     *                         initial one was given although the store held a bundle
     */
    public static BundleStore open(Path dir, TrustedKeys trusted, byte[] initialBundleIfEmpty)
            throws IOException, BundleException {
        return open(dir, trusted, initialBundleIfEmpty, BundleReader.withDefaults(), CrashPoints.NONE);
    }

    /** As {@link #open(Path, TrustedKeys, byte[])}, with the initial bundle read from a file. */
    public static BundleStore open(Path dir, TrustedKeys trusted, Path initialBundleIfEmpty)
            throws IOException, BundleException {
        return open(dir, trusted, initialBundleIfEmpty == null ? null : Files.readAllBytes(initialBundleIfEmpty));
    }

    /** With a size limit other than the default, and a crash hook for tests. */
    public static BundleStore open(Path dir, TrustedKeys trusted, byte[] initialBundleIfEmpty, BundleReader reader,
                                   CrashPoints crash) throws IOException, BundleException {
        BundleStore s = new BundleStore(dir, trusted, reader, crash);
        s.recover(initialBundleIfEmpty);
        return s;
    }

    // ---- queries

    public Path directory() {
        return dir;
    }

    public TrustedKeys trusted() {
        return trusted;
    }

    public BundleReader reader() {
        return reader;
    }

    /** What {@link #open} recovered. */
    public synchronized Recovery recovery() {
        return recovery;
    }

    /** True when no bundle is installed (an empty store opened without an initial bundle). */
    public synchronized boolean isEmpty() {
        return active == null;
    }

    /** The verified bundle currently serving. */
    public synchronized ModelBundle active() {
        if (active == null) {
            throw new IllegalStateException("the bundle store " + dir + " is empty: no model installed");
        }
        return active;
    }

    public synchronized Optional<ModelBundle> activeIfAny() {
        return Optional.ofNullable(active);
    }

    /** The lowest version an update may have (read at {@link #open}, raised by every update that is SWITCHED). */
    public synchronized VersionFloor versionFloor() {
        return floor;
    }

    /** The bundle to roll back to, verified now; empty when there is none or it no longer verifies. */
    public synchronized Optional<ModelBundle> previous() {
        Path p = dir.resolve(PREVIOUS);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(reader.load(p, trusted));
        } catch (BundleException e) {
            Logger.warn("previous bundle {} does not verify: {}", p, e.getMessage());
            return Optional.empty();
        }
    }

    // ---- recovery

    private synchronized void recover(byte[] initial) throws IOException, BundleException {
        AtomicFiles.createPrivateDirectories(staging);
        List<String> actions = new ArrayList<>();
        int tmp = AtomicFiles.deleteTemporaries(dir) + AtomicFiles.deleteTemporaries(staging);
        if (tmp > 0) {
            actions.add("deleted " + tmp + " partly written temporary file(s)");
        }
        Path journalFile = dir.resolve(JOURNAL);
        Journal journal = null;
        if (Files.exists(journalFile)) {
            try {
                journal = Journal.parse(Files.readAllBytes(journalFile));
            } catch (IOException | RuntimeException e) {
                // written atomically, so this is outside damage; the files below still say what happened
                actions.add("ignored an unreadable journal (" + e.getMessage() + ")");
                journal = new Journal("unknown", null, null, null, "", null, null);
            }
        }
        Path candidate = staging.resolve(CANDIDATE);
        Path outgoing = staging.resolve(OUTGOING);
        Boolean completed = null;
        if (Files.exists(candidate)) {
            // the commit rename removes the candidate: still here means not committed → roll back
            AtomicFiles.delete(candidate);
            AtomicFiles.delete(outgoing);
            completed = false;
            actions.add("discarded the staged candidate of an interrupted update (not committed)");
        } else if (Files.exists(outgoing)) {
            // committed (candidate renamed to active), outgoing not yet moved: finish the switch
            AtomicFiles.move(outgoing, dir.resolve(PREVIOUS));
            completed = true;
            actions.add("completed an interrupted switch: kept the replaced bundle as " + PREVIOUS);
        }
        if (journal == null && completed != null) {
            journal = new Journal("unknown", null, null, null, "", null, null);
        }

        loadActive(initial, actions);

        if (journal != null && completed == null) {
            // no staging files: either before the candidate was complete, after a discard, or after the
            // outgoing bundle was moved; the active bundle's hash tells which
            completed = active != null && active.payloadSha256().equals(journal.sha256());
        }
        // the floor before the journal goes: a crash in between raises it again on the next start
        floorAtStart(journal != null && Boolean.TRUE.equals(completed) && !"rollback".equals(journal.kind()), actions);
        if (journal != null) {
            deleteJournal();
            String what = journal.kind() + (journal.modelId() == null ? "" : " to " + journal.modelId() + " "
                    + journal.version());
            actions.add(completed ? "the interrupted " + what + " had committed: it is active"
                    : "the interrupted " + what + " had not committed: the bundle before it stays active");
        }
        recovery = new Recovery(journal, Boolean.TRUE.equals(completed), actions);
        if (!recovery.clean()) {
            Logger.warn("bundle store {} recovered: {}", dir, String.join("; ", actions));
        }
    }

    /**
     * Reads the version floor; an update that had committed before the crash raises it (its SWITCHED is reported
     * now), and a store without one (older runtimes) starts from the active bundle's version.
     */
    private void floorAtStart(boolean committedUpdate, List<String> actions) {
        floor = VersionFloor.read(dir);
        SemVer v = active == null ? null : active.manifest().version();
        try {
            if (v != null && (committedUpdate || floor.current().isEmpty()) && floor.record(v, false)) {
                if (committedUpdate) {
                    actions.add("raised the version floor to " + v + " (the interrupted update had committed)");
                } else {
                    Logger.info("bundle store {}: version floor set to the active bundle's version {}", dir, v);
                }
            }
        } catch (IOException e) { // serve anyway; the journal stays and the next update saves it first
            Logger.error("{}; it is saved before the next update", e.getMessage());
        }
        floor.problem(v).ifPresent(Logger::error);
    }

    /**
     * Deletes the journal, unless a raised version floor is not on disk yet: the journal of the committed update is
     * then what raises it on the next start.
     */
    private void deleteJournal() throws IOException {
        if (floor != null && floor.isUnsaved()) {
            Logger.warn("keeping {}: the version floor {} is not saved yet", dir.resolve(JOURNAL), floor);
            return;
        }
        AtomicFiles.delete(dir.resolve(JOURNAL));
    }

    private void loadActive(byte[] initial, List<String> actions) throws IOException, BundleException {
        Path a = dir.resolve(ACTIVE);
        Path p = dir.resolve(PREVIOUS);
        BundleException failure = null;
        if (Files.exists(a)) {
            try {
                active = reader.load(a, trusted);
                return;
            } catch (BundleException e) {
                failure = e;
                actions.add("active bundle does not verify (" + e.getMessage() + ")");
            }
        }
        if (Files.exists(p)) {
            try {
                ModelBundle prev = reader.load(p, trusted);
                setAside(a, actions);
                AtomicFiles.move(p, a);
                active = prev;
                actions.add("promoted " + PREVIOUS + " (" + prev.manifest().modelId() + " " + prev.manifest().version()
                        + ") to active");
                return;
            } catch (BundleException e) {
                actions.add("previous bundle does not verify either (" + e.getMessage() + ")");
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (initial != null) {
            ModelBundle b = reader.load(initial, trusted); // a bad shipped bundle is a packaging error: throw
            setAside(a, actions);
            setAside(p, actions); // if it were usable it would have been promoted
            AtomicFiles.write(a, initial);
            active = b;
            actions.add((failure == null ? "empty store: installed" : "installed") + " the initial bundle "
                    + b.manifest().modelId() + " " + b.manifest().version());
            return;
        }
        if (failure != null) {
            throw failure; // nothing replaces them: the files stay where they are
        }
        active = null; // empty store, no initial bundle: wait for an update
    }

    /**
     * A bundle that no longer verifies is about to be replaced: it is moved to {@code unverified/} rather than
     * overwritten, because the cause is often the trusted keys, not the bundle (SetAside).
     */
    private void setAside(Path file, List<String> actions) throws IOException {
        if (Files.exists(file)) {
            Path kept = SetAside.keep(dir, file);
            actions.add("kept " + file.getFileName() + " as " + dir.relativize(kept));
        }
    }

    // ---- update steps (driven by OtaUpdater)

    /**
     * Staging: records the update in the journal, then writes the candidate to {@code staging/candidate.pnnb}
     * (atomically). The caller has verified {@code bytes} as {@code bundle}.
     */
    synchronized void stage(byte[] bytes, ModelBundle bundle, Journal journal) throws IOException {
        floor.saveIfUnsaved(); // a raise whose write failed: on disk before this journal replaces the one behind it
        AtomicFiles.createPrivateDirectories(staging);
        AtomicFiles.delete(staging.resolve(OUTGOING));
        AtomicFiles.write(dir.resolve(JOURNAL), journal.toJson());
        crash.reached(Point.AFTER_JOURNAL);
        AtomicFiles.write(staging.resolve(CANDIDATE), bytes, () -> crash.reached(Point.DURING_STAGING_WRITE));
    }

    /** Drops a staged candidate (self-test failed, or the update was abandoned) and the journal. */
    synchronized void discard() throws IOException {
        AtomicFiles.delete(staging.resolve(CANDIDATE));
        AtomicFiles.delete(staging.resolve(OUTGOING));
        deleteJournal();
    }

    /**
     * The switch: saves a copy of the active bundle as {@code staging/outgoing.pnnb}, renames the candidate to
     * {@code active.pnnb} (the commit) and moves the copy to {@code previous.pnnb}. The journal stays until
     * {@link #finish()}. Returns the new active bundle, verified from the candidate file that became active.
     */
    synchronized ModelBundle commit() throws IOException, BundleException {
        Path candidate = staging.resolve(CANDIDATE);
        Path outgoing = staging.resolve(OUTGOING);
        Path a = dir.resolve(ACTIVE);
        // re-verify what is on disk: the bytes that will serve after a restart are the ones that were checked
        ModelBundle next = reader.load(candidate, trusted);
        boolean hadActive = Files.exists(a);
        if (hadActive) {
            AtomicFiles.write(outgoing, Files.readAllBytes(a));
        }
        crash.reached(Point.AFTER_OUTGOING_SAVED);
        AtomicFiles.move(candidate, a); // ← the commit point
        active = next;
        crash.reached(Point.AFTER_COMMIT);
        if (hadActive) {
            AtomicFiles.move(outgoing, dir.resolve(PREVIOUS));
        }
        crash.reached(Point.AFTER_PREVIOUS_SAVED);
        return next;
    }

    /**
     * Records that {@code version} was switched to and kept ({@link VersionFloor#record}); called after the service
     * activated it, before {@link #finish()}, so a crash in between raises it on the next {@link #open}.
     */
    synchronized boolean recordSwitched(SemVer version, boolean mayLower) throws IOException {
        return floor.record(version, mayLower);
    }

    /**
     * Ends an update after its final status was reported: deletes the journal. Until then a restart reports the
     * update's outcome from the journal (so a status lost in a crash is sent after the restart).
     */
    synchronized void finish() throws IOException {
        deleteJournal();
    }

    /**
     * Swaps the active and the previous bundle, with the same crash safety as an update (the previous bundle is
     * staged as the candidate and committed). Returns the bundle now active.
     *
     * @throws IllegalStateException there is no previous bundle
     * @throws BundleException       the previous bundle no longer verifies
     */
    public synchronized ModelBundle rollback(String updateId) throws IOException, BundleException {
        Path p = dir.resolve(PREVIOUS);
        if (!Files.exists(p)) {
            throw new IllegalStateException("no previous bundle to roll back to in " + dir);
        }
        byte[] bytes = reader.readFile(p);
        ModelBundle prev = reader.load(bytes, trusted);
        stage(bytes, prev, Journal.of("rollback", updateId, prev, Instant.now()));
        ModelBundle now = commit();
        finish();
        return now;
    }

    public ModelBundle rollback() throws IOException, BundleException {
        return rollback(null);
    }

    @Override
    public String toString() {
        return "BundleStore[" + dir + "]";
    }
}

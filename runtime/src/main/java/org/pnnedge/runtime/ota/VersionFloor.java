package org.pnnedge.runtime.ota;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.runtime.io.AtomicFiles;
import org.tinylog.Logger;

/**
 * The lowest version an update may have: the highest version this device switched to and kept, persisted in
 * {@code <store>/version-floor} (one line, the semantic version, mode 0600) so it survives a rollback, a restart, a
 * restored or deleted {@code active.pnnb}. Without it, the downgrade rule would compare with the active bundle only,
 * and an attacker replaying an older, validly signed bundle could install it whenever the active one had gone back.
 *
 * <p>It only rises: an update raises it once it is SWITCHED (self-tested and activated), never for a version that
 * was rolled back. The one exception is the device's own configuration: a downgrade allowed by
 * {@code ota.allow_downgrade=true} that is SWITCHED sets it to its version ({@link #record}). A file that cannot
 * be read or parsed is not taken as "no floor": the store keeps serving, but updates are refused until it is fixed
 * ({@link #problem()} names the file and the fix). Format and rules: {@code src/site/markdown/ota.md}.
 *
 * <p>Thread-safe; one per store, owned by its {@link BundleStore}.
 */
public final class VersionFloor {
    /** The file's name in the store directory. */
    public static final String FILE = "version-floor";
    /** A floor file longer than this is not one we wrote. */
    static final int MAX_BYTES = 256;

    private final Path file;
    private SemVer floor;
    private String unreadable;
    private boolean unsaved;

    private VersionFloor(Path file) {
        this.file = file;
    }

    /** Reads {@code <dir>/version-floor}; a missing file is no floor, an unreadable one a {@link #problem()}. */
    static VersionFloor read(Path dir) {
        VersionFloor f = new VersionFloor(dir.resolve(FILE));
        if (!Files.exists(f.file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return f;
        }
        try {
            if (!Files.isRegularFile(f.file)) {
                throw new IOException("not a regular file");
            }
            if (Files.size(f.file) > MAX_BYTES) {
                throw new IOException("longer than " + MAX_BYTES + " bytes");
            }
            String text = new String(Files.readAllBytes(f.file), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IOException("empty");
            }
            f.floor = SemVer.parse(text);
        } catch (IOException | IllegalArgumentException e) {
            f.unreadable = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return f;
    }

    /** The floor; empty when none is set yet (an empty store before its first update) or the file is unreadable. */
    public synchronized Optional<SemVer> current() {
        return Optional.ofNullable(floor);
    }

    public Path file() {
        return file;
    }

    /** True when the file exists but could not be read or parsed: updates are refused until it is fixed. */
    public synchronized boolean isUnreadable() {
        return unreadable != null;
    }

    /**
     * What is wrong with the file and how to fix it, naming the file and {@code activeVersion} (the active bundle's
     * version, or null); empty when it is fine.
     */
    public synchronized Optional<String> problem(SemVer activeVersion) {
        if (unreadable == null) {
            return Optional.empty();
        }
        return Optional.of("the version floor " + file + " cannot be read (" + unreadable + "), so this device "
                + "refuses updates rather than accept any version: write the highest version it has run into it "
                + "(one line, e.g. printf '" + (activeVersion == null ? "1.2.0" : activeVersion) + "\\n' > " + file
                + "; mode 0600, owned by the service's user), or delete it so the next start takes the active "
                + "bundle's version" + (activeVersion == null ? "" : " (" + activeVersion + ")"));
    }

    /**
     * Records that {@code version} was switched to and kept: raises the floor to it when higher (or when there is
     * none yet). With {@code mayLower} (a downgrade the device's configuration allowed) it also lowers the floor to
     * it, and replaces an unreadable file; otherwise an unreadable file is left as it is. Returns true when the floor
     * changed.
     *
     * @throws IOException the file could not be written; the new floor holds in memory and {@link #saveIfUnsaved}
     *                     tries again
     */
    synchronized boolean record(SemVer version, boolean mayLower) throws IOException {
        if (unreadable != null && !mayLower) {
            return false;
        }
        boolean higher = floor == null || version.compareTo(floor) > 0;
        boolean lower = floor != null && version.compareTo(floor) < 0;
        if (!higher && !(lower && mayLower) && unreadable == null) {
            return false;
        }
        if (lower) {
            Logger.warn("OTA: version floor lowered from {} to {}: a downgrade allowed by ota.allow_downgrade=true",
                    floor, version);
        }
        floor = version;
        unreadable = null;
        unsaved = true;
        saveIfUnsaved();
        return true;
    }

    /** True when the floor was changed in memory but writing it failed. */
    synchronized boolean isUnsaved() {
        return unsaved;
    }

    /** Writes a floor that a failed write left only in memory (before the next update starts). */
    synchronized void saveIfUnsaved() throws IOException {
        if (!unsaved) {
            return;
        }
        try {
            AtomicFiles.write(file, (floor + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("cannot write the version floor " + floor + " to " + file + ": " + e.getMessage(), e);
        }
        unsaved = false;
    }

    /** Why an update refused by the floor was refused: a stable reason code and one sentence. */
    record Refusal(String reason, String message) {
    }

    /**
     * Whether candidate {@code what} (model id and version, for the message) of {@code version} may be installed
     * without an allowed downgrade: empty when it may; a {@link OtaStatus#REASON_BELOW_VERSION_FLOOR} refusal when
     * it is below the floor, a {@link OtaStatus#REASON_VERSION_FLOOR_UNREADABLE} one when the file cannot be read.
     */
    synchronized Optional<Refusal> check(String what, SemVer version, SemVer activeVersion) {
        if (unreadable != null) {
            return Optional.of(new Refusal(OtaStatus.REASON_VERSION_FLOOR_UNREADABLE, what + " refused: "
                    + problem(activeVersion).orElseThrow()));
        }
        if (floor != null && version.compareTo(floor) < 0) {
            return Optional.of(new Refusal(OtaStatus.REASON_BELOW_VERSION_FLOOR, what + " is below this device's "
                    + "version floor " + floor + " (the highest version it has switched to and kept, in " + file
                    + "): an older bundle is not installed again, however validly signed; only the device's own "
                    + "ota.allow_downgrade=true goes below it"));
        }
        return Optional.empty();
    }

    @Override
    public synchronized String toString() {
        return unreadable != null ? "unreadable" : floor == null ? "none" : floor.toString();
    }
}

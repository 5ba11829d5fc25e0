package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Servers that refuse to run as root (ejabberd's nodes, PostgreSQL) are started as their Debian package's system
 * user when we are root, through {@code setpriv}; otherwise as us.
 */
public final class SystemUser {
    private SystemUser() {
    }

    /** Whether this process runs as root (uid 0 in /proc/self); false where that cannot be read. */
    public static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code user} when we are root, else empty (the server runs as us). */
    public static Optional<String> whenRoot(String user) {
        return root() ? Optional.of(user) : Optional.empty();
    }

    /**
     * The first directory above {@code path} (its parent, then up to the root) that other users cannot enter (no
     * execute bit for others), with its mode: a server running as its system user could not reach {@code path}.
     * Empty when every one can be entered. {@code options} say how symbolic links are read.
     */
    public static Optional<Blocked> unenterableParent(Path path, LinkOption... options) throws IOException {
        for (Path d = path.getParent(); d != null; d = d.getParent()) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(d, options);
            if (!mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return Optional.of(new Blocked(d, PosixFilePermissions.toString(mode)));
            }
        }
        return Optional.empty();
    }

    /** A directory other users cannot enter, and its mode ({@code rwxr-x---}). */
    public record Blocked(Path dir, String mode) {
    }

    /** The command prefix that runs a program as {@code user}; empty for "as us". */
    public static List<String> prefix(Optional<String> user) {
        return user.map(u -> List.of("/usr/bin/setpriv", "--reuid=" + u, "--regid=" + u, "--init-groups", "--"))
                .orElse(List.of());
    }
}

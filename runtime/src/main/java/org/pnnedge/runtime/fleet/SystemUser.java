package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** The command prefix that runs a program as {@code user}; empty for "as us". */
    public static List<String> prefix(Optional<String> user) {
        return user.map(u -> List.of("/usr/bin/setpriv", "--reuid=" + u, "--regid=" + u, "--init-groups", "--"))
                .orElse(List.of());
    }
}

package org.pnnedge.fleet.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.pnnedge.runtime.fleet.SystemUser;

/** Process and file plumbing of {@link FleetDatabase}: bounded runs, private files, ownership for the server user. */
final class Pg {
    private static final int MAX_OUTPUT = 16 * 1024;

    private Pg() {
    }

    record Result(int exit, String output) {
    }

    /** Runs a command to completion within {@code timeout}; output (stdout+stderr) kept up to 16 KiB. */
    static Result run(List<String> cmd, Path dir, java.time.Duration timeout) throws DbException {
        try {
            Path out = Files.createTempFile("pnn-fleet-db", ".out");
            try {
                Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new DbException(cmd.get(cmd.size() - 1) + " did not finish within " + timeout + ": "
                            + String.join(" ", cmd));
                }
                byte[] b = Files.readAllBytes(out);
                return new Result(p.exitValue(), new String(b, 0, Math.min(b.length, MAX_OUTPUT), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new DbException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DbException("interrupted while running " + String.join(" ", cmd), e);
        }
    }

    static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    }

    /** Gives {@code paths} (not recursively) to {@code user}; a no-op when we are not root. */
    static void chown(Optional<String> user, Path... paths) throws IOException {
        if (user.isEmpty()) {
            return;
        }
        UserPrincipal owner = paths[0].getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user.get());
        for (Path p : paths) {
            Files.setOwner(p, owner);
        }
        // the server user must be able to enter every parent of the data directory
        Optional<SystemUser.Blocked> blocked = SystemUser.unenterableParent(paths[0], LinkOption.NOFOLLOW_LINKS);
        if (blocked.isPresent()) {
            throw new IOException(blocked.get().dir() + " is not enterable by the " + user.get()
                    + " user PostgreSQL runs as (" + blocked.get().mode() + "): choose a state directory under /var/lib or /tmp");
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

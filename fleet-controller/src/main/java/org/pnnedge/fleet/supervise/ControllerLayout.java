package org.pnnedge.fleet.supervise;

import java.nio.file.Path;

/**
 * Where the controller's processes keep their files: {@code <state dir>/controller/} holds {@code controller.pid}
 * and {@code controller.log} (the supervisor), {@code status.json} (what the supervisor last saw of each child,
 * rewritten atomically on every change) and, per child {@code <name>}, {@code <name>.pid} and {@code <name>.log}
 * (standard output and error, copied to {@code <name>.log.1} and truncated beyond {@link #MAX_LOG_BYTES}).
 *
 * @param dir the controller's directory
 */
public record ControllerLayout(Path dir) {
    /** A child's log is rotated (one old file kept) when it grows beyond this. */
    public static final long MAX_LOG_BYTES = 10L << 20;

    public ControllerLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The controller of a fleet state directory (the cluster's and the database's). */
    public static ControllerLayout under(Path fleetStateDir) {
        return new ControllerLayout(fleetStateDir.resolve("controller"));
    }

    /** The fleet state directory this controller belongs to (its children's {@code --state-dir}). */
    public Path stateDir() {
        return dir.getParent();
    }

    public Path supervisorPid() {
        return dir.resolve("controller.pid");
    }

    public Path supervisorLog() {
        return dir.resolve("controller.log");
    }

    public Path statusFile() {
        return dir.resolve("status.json");
    }

    public Path pidFile(String child) {
        return dir.resolve(child + ".pid");
    }

    public Path log(String child) {
        return dir.resolve(child + ".log");
    }

    /** Creates {@code log} with mode 0600 when missing (a process then appends to it; the umask does not decide). */
    static Path privateLog(Path log) throws java.io.IOException {
        if (java.nio.file.Files.notExists(log)) {
            java.nio.file.Files.createFile(log, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        return log;
    }
}

package org.pnnedge.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check that a server's system user can reach its state directory names the first directory it cannot enter. */
class SystemUserTest {
    @TempDir
    Path tmp;

    @Test
    void theFirstParentWithoutExecuteForOthersIsNamedWithItsMode() throws Exception {
        Path outer = Files.createDirectories(tmp.resolve("outer"));
        Path state = Files.createDirectories(outer.resolve("inner/state"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(outer, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(outer.resolve("inner"), PosixFilePermissions.fromString("rwxr-x---"));
        // the nearest blocked parent first: inner (no x for others), not outer
        assertEquals(Optional.of(new SystemUser.Blocked(outer.resolve("inner"), "rwxr-x---")),
                SystemUser.unenterableParent(state));
        Files.setPosixFilePermissions(outer.resolve("inner"), PosixFilePermissions.fromString("rwxr-x--x"));
        assertEquals(Optional.of(new SystemUser.Blocked(outer, "rwx------")), SystemUser.unenterableParent(state));
        Files.setPosixFilePermissions(outer, PosixFilePermissions.fromString("rwx--x--x"));
        Optional<SystemUser.Blocked> above = SystemUser.unenterableParent(state);
        // nothing of ours blocks; what is above the temp directory (/tmp, /) is the machine's
        assertEquals(Optional.empty(), above.filter(b -> b.dir().startsWith(tmp)), above.toString());
    }
}

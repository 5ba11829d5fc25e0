package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upgrades keep the state directory and record the new writer; a downgrade is refused with a clear message. */
class StateVersionTest {
    static final BuildInfo V010 = new BuildInfo("0.1.0", "aaaaaaa", "2026-12-01T00:00:00Z", true);
    static final BuildInfo V020 = new BuildInfo("0.2.0", "bbbbbbb", "2026-12-02T00:00:00Z", true);

    static String writer(Path dir) throws Exception {
        return new ObjectMapper().readTree(Files.readAllBytes(dir.resolve(StateVersion.FILE))).get("writtenBy").asText();
    }

    @Test
    void anUpgradeRecordsTheNewWriterAndADowngradeIsRefused(@TempDir Path dir) throws Exception {
        StateVersion.checkAndRecord(dir, V010);
        assertEquals("0.1.0", writer(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(StateVersion.FILE))));
        Files.writeString(dir.resolve("outbox-kept"), "x"); // anything else in the directory is left alone
        StateVersion.checkAndRecord(dir, V020); // upgrade
        assertEquals("0.2.0", writer(dir));
        StateVersion.checkAndRecord(dir, V020); // same version again: fine
        StateVersion.RefusedException e = assertThrows(StateVersion.RefusedException.class,
                () -> StateVersion.checkAndRecord(dir, V010));
        assertTrue(e.getMessage().contains("written by PNN Edge 0.2.0") && e.getMessage().contains("this is PNN Edge 0.1.0")
                && e.getMessage().contains(dir.toString()), e.getMessage());
        assertEquals("0.2.0", writer(dir), "a refused downgrade does not touch the marker");
        assertTrue(Files.exists(dir.resolve("outbox-kept")));
    }

    @Test
    void aNewerStateFormatIsRefusedEvenFromAnOlderLookingVersion(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(StateVersion.FILE), "{\"format\":\"pnn-edge-state\",\"formatVersion\":"
                + (StateVersion.FORMAT_VERSION + 1) + ",\"writtenBy\":\"0.0.1\"}", StandardCharsets.UTF_8);
        var e = assertThrows(StateVersion.RefusedException.class, () -> StateVersion.checkAndRecord(dir, V010));
        assertTrue(e.getMessage().contains("state format " + (StateVersion.FORMAT_VERSION + 1)), e.getMessage());
    }

    @Test
    void aGarbledMarkerIsNamedNotOverwritten(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(StateVersion.FILE), "{not json", StandardCharsets.UTF_8);
        var e = assertThrows(StateVersion.RefusedException.class, () -> StateVersion.checkAndRecord(dir, V010));
        assertTrue(e.getMessage().contains(StateVersion.FILE), e.getMessage());
        assertEquals("{not json", Files.readString(dir.resolve(StateVersion.FILE)));
    }

    @Test
    void theServiceRefusesToStartOnANewerVersionsStateDirectory(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve(StateVersion.FILE),
                "{\"format\":\"pnn-edge-state\",\"formatVersion\":1,\"writtenBy\":\"999.0.0\"}", StandardCharsets.UTF_8);
        var e = assertThrows(StateVersion.RefusedException.class,
                () -> EdgeService.start(EdgeServiceTest.config(state, "emulator:shg?seed=1&timing=zero")));
        assertTrue(e.getMessage().contains("999.0.0"), e.getMessage());
        assertEquals(java.util.List.of(StateVersion.FILE), Files.list(state).map(p -> p.getFileName().toString()).toList(),
                "nothing else was written");
    }

    @Test
    void thisBuildKnowsItsVersion() {
        BuildInfo b = BuildInfo.current();
        assertTrue(b.version().matches("\\d+\\.\\d+\\.\\d+.*"), b.toString());
        assertTrue(!b.time().equals("unknown"), b.toString());
    }
}

package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.runtime.cli.CliTest.Result;

/**
 * Bad input a user gives by mistake (a folder for a file, a binary file for a text file, a port in use, ...) gets
 * exit 2 and one line naming the option or file and what is wrong with it: no stack trace, no bare Java message.
 */
class BadInputCliTest {
    @TempDir
    Path dir;

    static void assertNamed(Result r, String... fragments) {
        assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
        }
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    @Test
    void aDataFileThatCannotBeWrittenIsBadInput() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("out"));
        assertNamed(CliTest.run("data", "synth", "--talkers", "1", "--out", folder.toString()),
                folder + ": cannot write");
    }

    @Test
    void aPortInUseOrOutOfRangeIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            assertNamed(CliTest.run("emulate", "--physics", "shg", "--port", port),
                    "--port " + port + ": cannot listen on 127.0.0.1:" + port, "pick another port");
            assertNamed(CliTest.run("device", "serve", "--device", "emulator:shg?seed=1", "--port", port),
                    "--port " + port + ": cannot listen on 127.0.0.1:" + port);
        }
        assertNamed(CliTest.run("emulate", "--physics", "shg", "--port", "70000"),
                "--port must be in 0..65535 (0 picks a free one), got 70000");
        assertNamed(CliTest.run("device", "serve", "--device", "emulator:shg?seed=1", "--port", "-1"),
                "--port must be in 0..65535");
    }
}

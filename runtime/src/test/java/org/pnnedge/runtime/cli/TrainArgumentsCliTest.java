package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.runtime.cli.CliTest.Result;

/**
 * {@code pnn train} refuses what the bundle would be written with (version, model id, key, output folders) before it
 * reads the data or opens the device, and {@code --validate-only} makes only those checks. The data file of these
 * runs does not exist: had train read it first, the error would name it instead. Nothing here trains.
 */
class TrainArgumentsCliTest {
    static final String DEVICE = "emulator:shg?seed=1&timing=zero";

    @TempDir
    Path dir;

    private Result train(String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", dir.resolve("not-made-yet.csv").toString(),
                "--device", DEVICE));
        args.addAll(List.of(more));
        if (!args.contains("--out")) {
            args.addAll(List.of("--out", dir.resolve("m.pnnb").toString()));
        }
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void aBadVersionIsRefusedByNameBeforeTheDataIsRead() {
        Result r = train("--version", "1.0");
        assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.err());
        assertTrue(r.err().contains("--version: '1.0' is not a semantic version"), r.err());
        assertFalse(r.err().contains("not-made-yet.csv"), "refused before the data: " + r.err());
        assertFalse(Files.exists(dir.resolve("m.pnnb")));
    }

    @Test
    void validateOnlyChecksTheArgumentsWithoutTheDataOrTheDevice() {
        Result ok = train("--version", "2.0.0-rc.1", "--validate-only");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("the arguments are good (vowels7 2.0.0-rc.1"), ok.out());
        assertFalse(Files.exists(dir.resolve("m.pnnb")));

        Path noFolder = dir.resolve("no-such-folder");
        String[][] cases = {
                {"--version", "1.0.0.0", "--version: '1.0.0.0' is not a semantic version"},
                {"--model-id", "my model", "--model-id: modelId must match"},
                {"--key", dir.resolve("none.key").toString(), "--key: no such file: " + dir.resolve("none.key")},
                {"--out", noFolder.resolve("m.pnnb").toString(), "no such folder: " + noFolder},
                {"--curves", noFolder.resolve("c").toString(), "--curves " + noFolder.resolve("c")},
                {"--readout", "bright", "--readout must be affine or dark-referenced"},
        };
        for (String[] c : cases) {
            for (boolean only : new boolean[] {true, false}) {
                Result r = only ? train(c[0], c[1], "--validate-only") : train(c[0], c[1]);
                assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), c[0] + " " + c[1] + ": " + r.err());
                assertTrue(r.err().contains(c[2]), c[0] + " " + c[1] + ": " + r.err());
            }
        }
    }
}

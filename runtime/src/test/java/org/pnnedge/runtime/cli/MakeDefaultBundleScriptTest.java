package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.Checkout;

/**
 * src/dist/make-default-bundle.sh checks its pnn train command line (pnn train --validate-only, the CLI of this
 * build) before it makes any data: a bad VERSION or --key is refused at once. Its PNN is a stand-in that logs each
 * call, runs --validate-only calls and fails every other with exit 9, so nothing is generated or trained.
 */
class MakeDefaultBundleScriptTest {

    @TempDir
    Path tmp;

    /** Exit code, everything the script printed and the pnn calls it made. */
    private record Run(int exit, String output, List<String> calls) {
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run("src/dist/make-default-bundle.sh", env, args);
    }

    private Run run(String script, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path log = tmp.resolve("pnn-calls.log");
        Files.deleteIfExists(log);
        Path pnn = tmp.resolve("pnn");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(pnn, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n"
                + "case \" $* \" in *' --validate-only '*) ;; *) exit 9 ;; esac\n"
                + "exec '" + java + "' -Dpnn.dev_keys='" + System.getProperty("pnn.dev_keys") + "' -cp '"
                + System.getProperty("java.class.path") + "' org.pnnedge.runtime.cli.Main \"$@\"\n");
        assertTrue(pnn.toFile().setExecutable(true));
        List<String> cmd = new ArrayList<>(List.of(SpokenVoices.which("bash").orElseThrow().toString(),
                Checkout.require(script).toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(Map.of("PNN", pnn.toString(), "WORK", tmp.resolve("work").toString(),
                "OUT", tmp.resolve("bundle").resolve("b.pnnb").toString())); // never the shipped bundle
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the script did not finish in 120 s: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.exists(log) ? Files.readAllLines(log) : List.of());
    }

    @Test
    void aBadVersionOrKeyIsRefusedBeforeAnyDataIsMade() throws Exception {
        Run bad = run(Map.of("VERSION", "1.0"));
        assertEquals(ErrorHandler.EXIT_USAGE, bad.exit(), bad.output());
        assertTrue(bad.output().contains("--version: '1.0' is not a semantic version"), bad.output());
        assertEquals(1, bad.calls().size(), "only the check ran: " + bad.calls());
        assertTrue(bad.calls().get(0).startsWith("train ") && bad.calls().get(0).contains("--version 1.0 "),
                bad.calls().toString());
        assertFalse(Files.exists(tmp.resolve("work/heard-train.csv")));

        // the script's own arguments are part of the checked command line
        Path noKey = tmp.resolve("none.key");
        Run key = run(Map.of(), "--key", noKey.toString());
        assertEquals(ErrorHandler.EXIT_USAGE, key.exit(), key.output());
        assertTrue(key.output().contains("--key: no such file: " + noKey), key.output());
        assertEquals(1, key.calls().size(), key.calls().toString());

        // good arguments pass the check and the script goes on to make the data (the stand-in's exit 9)
        Run good = run(Map.of("VERSION", "1.2.0"));
        assertEquals(9, good.exit(), good.output());
        assertTrue(good.output().contains("the arguments are good (vowels7 1.2.0"), good.output());
        assertEquals(2, good.calls().size(), good.calls().toString());
        assertTrue(good.calls().get(1).startsWith("data synth "), good.calls().toString());
    }

    @Test
    void theTwelveVowelScriptChecksFirstToo() throws Exception {
        String script = "src/dist/make-vowels12-bundle.sh";
        Run layout = run(script, Map.of("LAYOUT", "hz12"));
        assertEquals(2, layout.exit(), layout.output());
        assertTrue(layout.output().contains("LAYOUT must be bark13 or talker13, got 'hz12'"), layout.output());
        assertEquals(List.of(), layout.calls(), "refused before any pnn call");

        Run bad = run(script, Map.of("LAYOUT", "talker13", "PROJECTION", "16", "VERSION", "1.1"));
        assertEquals(ErrorHandler.EXIT_USAGE, bad.exit(), bad.output());
        assertTrue(bad.output().contains("--version: '1.1' is not a semantic version"), bad.output());
        assertEquals(1, bad.calls().size(), bad.calls().toString());

        Run noExtra = run(script, Map.of("LAYOUT", "talker13", "EXTRA", tmp.resolve("none.csv").toString()));
        assertEquals(2, noExtra.exit(), noExtra.output());
        assertTrue(noExtra.output().contains("EXTRA: no such file: " + tmp.resolve("none.csv")), noExtra.output());
        assertEquals(1, noExtra.calls().size(), "refused after the check, before the rows: " + noExtra.calls());
        Run barkExtra = run(script, Map.of("EXTRA", tmp.resolve("none.csv").toString()));
        assertTrue(barkExtra.exit() == 2 && barkExtra.output().contains("EXTRA= is for LAYOUT=talker13"),
                barkExtra.output());

        // the hybrid talker13 candidate's command line passes the check, then the rows are rendered
        Run good = run(script, Map.of("LAYOUT", "talker13", "PROJECTION", "16", "VERSION", "1.1.0"));
        assertEquals(9, good.exit(), good.output());
        assertTrue(good.calls().get(0).contains("--feature-layout talker13 --input-projection 16 "),
                good.calls().toString());
        assertTrue(good.calls().get(1).startsWith("data synth ") && good.calls().get(1).contains("talker13-sampled"),
                good.calls().toString());
    }
}

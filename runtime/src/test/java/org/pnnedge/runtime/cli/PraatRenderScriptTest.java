package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.Checkout;

/**
 * bench/render-praat-hillenbrand.sh without Praat: its help, its usage errors (exit 2) and the message naming the
 * missing praat (exit 1), run with a PATH that holds only the few tools the script needs before it looks for praat.
 * Renders nothing (CI has no praat); the rendering itself is measured by bench/run-praat-hillenbrand.sh.
 */
class PraatRenderScriptTest {

    @TempDir
    Path tmp;

    /** Exit code and everything the script printed. */
    private record Run(int exit, String output) {
    }

    private static Path onPath(String program) {
        return SpokenVoices.which(program)
                .orElseThrow(() -> new IllegalStateException(program + " is not on the PATH"));
    }

    private Run run(String... args) throws IOException, InterruptedException {
        Path bin = tmp.resolve("bin");
        if (!Files.isDirectory(bin)) {
            Files.createDirectories(bin);
            for (String tool : List.of("dirname", "sed")) {
                Files.createSymbolicLink(bin.resolve(tool), onPath(tool));
            }
        }
        List<String> cmd = new ArrayList<>(List.of(onPath("bash").toString(),
                Checkout.require("bench/render-praat-hillenbrand.sh").toString()));
        cmd.addAll(List.of(args));
        Path log = tmp.resolve("out.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the script did not finish in 60 s: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void helpUsageErrorsAndMissingPraatAreNamed() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().contains("KlattGrid") && help.output().contains("--vowels pat7|all12"), help.output());

        Run noOut = run();
        assertEquals(2, noOut.exit(), noOut.output());
        assertTrue(noOut.output().contains("--out DIR is required"), noOut.output());
        Run badVowels = run("--out", tmp.resolve("o").toString(), "--vowels", "pat5");
        assertEquals(2, badVowels.exit(), badVowels.output());
        assertTrue(badVowels.output().contains("--vowels must be pat7 or all12, not pat5"), badVowels.output());

        Path data = Files.writeString(tmp.resolve("vowdata.dat"),
                "m01iy 243 138 342 2322 3000 3657 318 2344 3067 319 2300 2953 322 2241 2988\n");
        Run noPraat = run("--out", tmp.resolve("o").toString(), "--data", data.toString());
        assertEquals(1, noPraat.exit(), noPraat.output());
        assertTrue(noPraat.output().contains("praat is not installed (Debian: apt-get install praat)"),
                noPraat.output());
        assertTrue(Files.notExists(tmp.resolve("o")), "nothing written before praat is found");
        Run noData = run("--out", tmp.resolve("o").toString(), "--data", tmp.resolve("none.dat").toString());
        assertEquals(1, noData.exit(), noData.output());
        assertTrue(noData.output().contains("no Hillenbrand data at"), noData.output());
    }
}

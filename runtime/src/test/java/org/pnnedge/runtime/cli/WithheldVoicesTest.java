package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.cli.SpokenVoices.Kind;
import org.pnnedge.runtime.cli.SpokenVoices.Spoken;
import org.pnnedge.runtime.cli.SpokenVoices.Voice;
import org.pnnedge.runtime.cli.SpokenVoices.Word;

/**
 * The withheld voice set's lists (bench/withheld-voices.tsv, bench/withheld-words.tsv, read by
 * bench/render-withheld-voices.sh) against {@link SpokenVoices}: the Czech words and their vowel classes are exactly
 * the test set's, the SAM words are the seven English /hVd/ words, and no withheld voice is a test voice. Reads only
 * the two files (no synthesizer needed), and checks {@link SpokenVoices#fromDirectory} on a small folder.
 */
class WithheldVoicesTest {

    @TempDir
    Path tmp;

    private static List<String[]> rows(String relative) throws IOException {
        return Files.readAllLines(Checkout.require(relative), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t", -1)).toList();
    }

    private static List<String> words(List<String[]> rows, String set) {
        return rows.stream().filter(r -> r[0].equals(set)).map(r -> r[1] + " " + r[2] + " " + r[3]).toList();
    }

    @Test
    void czechWordsAreTheTestSetsAndSamSaysTheSevenEnglishWords() throws IOException {
        List<String[]> rows = rows("bench/withheld-words.tsv");
        rows.forEach(r -> assertEquals(4, r.length, "withheld-words.tsv: 4 columns: " + String.join("|", r)));
        assertEquals(SpokenVoices.CZECH.stream().map(w -> w.vowel() + " " + w.file() + " " + w.text()).toList(),
                words(rows, "czech"), "the Czech words must be SpokenVoices.CZECH (same text, file and vowel class)");
        List<String[]> sam = rows.stream().filter(r -> r[0].equals("sam")).toList();
        assertEquals(SpokenVoices.ENGLISH.stream().map(w -> w.vowel() + " " + w.file()).toList(),
                sam.stream().map(r -> r[1] + " " + r[2]).toList(), "SAM: the seven English words in order");
        for (String[] r : sam) {
            assertTrue(r[3].matches("/H[A-Z]{2}[1-8]D"), "SAM phonemes /H, a stressed vowel, D: " + r[3]);
        }
        assertEquals(rows.size(), sam.size() + SpokenVoices.CZECH.size(), "only the sets sam and czech");
    }

    @Test
    void noWithheldVoiceIsATestVoice() throws IOException {
        List<String[]> voices = rows("bench/withheld-voices.tsv");
        Set<String> testIds = new HashSet<>();
        Set<String> testArgs = new HashSet<>();
        for (Voice v : SpokenVoices.all()) {
            testIds.add(v.id());
            testArgs.add(v.arg());
        }
        Set<String> ids = new HashSet<>();
        for (String[] v : voices) {
            assertEquals(8, v.length, "withheld-voices.tsv: 8 columns: " + String.join("|", v));
            assertTrue(ids.add(v[0]), "duplicate voice id " + v[0]);
            assertFalse(v[0].contains("_"), "a voice id has no '_' (pnn data wavs: talker_word.wav): " + v[0]);
            assertFalse(testIds.contains(v[0]), v[0] + " is a SpokenWordsTest voice id");
            assertFalse(testArgs.contains(v[5]), v[0] + " uses a SpokenWordsTest voice: " + v[5]);
            Kind.valueOf(v[2]);
            assertTrue(Set.of("sam sam", "festival czech").contains(v[3] + " " + v[4]), "engine and word set: "
                    + v[3] + " " + v[4]);
            if (v[3].equals("sam")) {
                assertTrue(v[5].matches("\\d{1,3} \\d{1,3} \\d{1,3} \\d{1,3}"), "SAM: speed pitch mouth throat");
            }
        }
        assertTrue(ids.size() >= 4, "a handful of voices at least: " + ids);
    }

    @Test
    void fromDirectoryReadsTheRenderedVoicesAndNamesTheMissing() throws IOException {
        Files.writeString(tmp.resolve("voices.tsv"), String.join("\n",
                "a\tman\tRULES\tsam\tsam\t72 64 128 128\tsam-js\tSAM\tok",
                "b\twoman\tDIPHONE\tfestival\tczech\tvoice_x\tfestvox-x\tCzech\tfestvox-x is not installed",
                "c\twoman\tDIPHONE\tfestival\tczech\tvoice_y\tfestvox-y\tCzech\tok", ""));
        for (String f : List.of("a_heed.wav", "a_had.wav", "a_heard.wav", "b_heed.wav")) {
            Files.write(tmp.resolve(f), new byte[64]);
        }
        List<Spoken> s = SpokenVoices.fromDirectory(tmp, List.of("iy", "ae", "uw"));
        assertEquals(3, s.size());
        assertNull(s.get(0).unavailable());
        // heard is not among the labels; who'd has no WAV
        assertEquals(List.of("heed", "had"), s.get(0).wavs().keySet().stream().map(Word::file).toList());
        assertEquals("festvox-x is not installed", s.get(1).unavailable());
        assertTrue(s.get(1).wavs().isEmpty());
        assertTrue(s.get(2).unavailable().startsWith("no WAV"), s.get(2).unavailable());
        assertEquals(Arrays.asList("iy", "uw"), s.get(2).voice().words().stream().map(Word::vowel).toList());

        // the Praat-rendered Hillenbrand talkers (bench/render-praat-hillenbrand.sh): english, english12
        Files.writeString(tmp.resolve("voices.tsv"), String.join("\n",
                "m01\tman\tRULES\tpraat\tenglish\tKlattGrid\tpraat\tx\tok",
                "w02\twoman\tRULES\tpraat\tenglish12\tKlattGrid\tpraat\tx\tok", ""));
        for (String f : List.of("m01_heed.wav", "m01_hud.wav", "w02_heed.wav", "w02_hud.wav")) {
            Files.write(tmp.resolve(f), new byte[64]);
        }
        List<Spoken> p = SpokenVoices.fromDirectory(tmp, List.of("iy", "uh"));
        assertEquals(List.of("heed"), p.get(0).wavs().keySet().stream().map(Word::file).toList());
        assertEquals(List.of("heed", "hud"), p.get(1).wavs().keySet().stream().map(Word::file).toList());

        Files.writeString(tmp.resolve("voices.tsv"), "d\tman\tRULES\tsam\tklingon\t1\tp\tx\tok\n");
        assertTrue(assertThrows(IOException.class, () -> SpokenVoices.fromDirectory(tmp, List.of("iy")))
                .getMessage().contains("unknown word set klingon"));
        Files.delete(tmp.resolve("voices.tsv"));
        assertTrue(assertThrows(IOException.class, () -> SpokenVoices.fromDirectory(tmp, List.of("iy")))
                .getMessage().contains("render-withheld-voices"));
    }
}

package org.pnnedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.pnnedge.bridge.fuzz.Fuzz;

/**
 * The runtime configuration on hostile settings: a configuration, or an IllegalArgumentException that names the key
 * at fault (so `pnn run` can say which line to fix); a hostile file may also fail to read (IOException).
 */
class RuntimeConfigFuzzTest {
    private static final List<String> KEYS = new ArrayList<>(RuntimeConfig.KEYS.keySet());
    private static Path dir;

    @BeforeContainer
    static void mkdir() throws IOException {
        dir = Files.createTempDirectory("pnn-configfuzz");
    }

    @AfterContainer
    static void rmdir() throws IOException {
        Files.deleteIfExists(dir.resolve("fuzz.conf"));
        Files.delete(dir);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789-+.eEPTHMSDtruefalsonx:/,;=%\0 ").ofMaxLength(24),
                Arbitraries.of("", "-1", "0", "9223372036854775808", "1e309", "NaN", "PT-1S", "P99999999999D", "true",
                        "tcp://", "tcp://h:99999", "ssl://:0", "emulator:shg?seed=x", "\0", "a\0b", "../../..", "//"));
    }

    @Property
    void aHostileValueIsAcceptedOrRefusedNamingItsKey(@ForAll("keyIndex") int k, @ForAll("values") String value) {
        String key = KEYS.get(k);
        if (Fuzz.accepted(() -> RuntimeConfig.load(null, Map.of(), Map.of(key, value)),
                IllegalArgumentException.class) instanceof IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(key), () -> "the refusal does not name " + key + ": " + e.getMessage());
        }
    }

    @Property
    void aHostileEnvironmentValueIsAcceptedOrRefusedNamingItsKey(@ForAll("keyIndex") int k,
            @ForAll("values") String value) {
        String key = KEYS.get(k);
        if (Fuzz.accepted(() -> RuntimeConfig.load(null, Map.of(RuntimeConfig.envName(key), value), Map.of()),
                IllegalArgumentException.class) instanceof IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(key), () -> "the refusal does not name " + key + ": " + e.getMessage());
        }
    }

    @Property
    void anUnknownKeyIsRefusedNamingIt(@ForAll @Size(min = 1, max = 30) String key) {
        if (!RuntimeConfig.KEYS.containsKey(key.trim())) {
            Fuzz.accepted(() -> RuntimeConfig.load(null, Map.of(), Map.of(key, "1")), IllegalArgumentException.class);
        }
    }

    @Property
    void aHostileFileIsReadOrRefused(@ForAll @Size(max = 300) byte[] content) throws IOException {
        file(content);
    }

    @Property
    void aMutatedValidFileIsReadOrRefused(@ForAll long seed) throws IOException {
        StringBuilder valid = new StringBuilder("# pnn-edge.conf\n");
        for (String key : KEYS) {
            valid.append(key).append(" = ").append(RuntimeConfig.KEYS.get(key).defaultValue()).append('\n');
        }
        file(Fuzz.mutate(valid.toString().getBytes(StandardCharsets.UTF_8), seed));
    }

    private static void file(byte[] content) throws IOException {
        Path f = dir.resolve("fuzz.conf");
        Files.write(f, content);
        Fuzz.accepted(() -> RuntimeConfig.load(f, Map.of(), Map.of()), IllegalArgumentException.class, IOException.class);
    }

    @Provide
    Arbitrary<Integer> keyIndex() {
        return Arbitraries.integers().between(0, KEYS.size() - 1);
    }

    /** Found by this fuzzer: a NUL in a path value was refused by Path.of without naming the key. */
    @Example
    void aNulCharacterInAPathIsRefusedNamingTheKey() {
        for (String key : List.of("state.dir", "log.file", "bundle.initial", "ota.canary", "mqtt.ca_file")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RuntimeConfig.load(null, Map.of(), Map.of(key, "a\0b")));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Example
    void regressionSeedsAreRefusedNamingTheKey() throws IOException {
        for (byte[] seed : Fuzz.corpus(RuntimeConfigFuzzTest.class, "config")) {
            Path f = dir.resolve("fuzz.conf");
            Files.write(f, seed);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RuntimeConfig.load(f, Map.of(), Map.of()));
            // a line Properties cannot parse has no key to name: then the file is named
            String key = new String(seed, StandardCharsets.UTF_8).split("=")[0].strip();
            assertTrue(e.getMessage().contains(key) || e.getMessage().contains(f.toString()), e.getMessage());
        }
    }
}

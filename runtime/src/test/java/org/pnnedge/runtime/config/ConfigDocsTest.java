package org.pnnedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Checkout;

/**
 * The configuration keys are written down three times: {@link RuntimeConfig#KEYS} (what the code knows), the
 * table in src/site/markdown/runtime.md and the shipped src/dist/pnn-edge.conf. This keeps them in step: the same
 * keys everywhere, with the same defaults and meanings.
 */
class ConfigDocsTest {
    /** Keys the Pi configuration sets to something other than the built-in default, on purpose. */
    private static final Set<String> PI_SETTINGS = Set.of("device.uri", "bundle.initial", "log.file");

    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([a-z_]+\\.[a-z_]+)` \\| (.*?) \\| (.*) \\|$");
    private static final Pattern CONF_LINE = Pattern.compile("^(#?)([a-z_]+\\.[a-z_]+) *= *(.*)$");

    @Test
    void runtimeMdListsEveryKeyWithItsDefaultAndMeaning() throws IOException {
        Map<String, RuntimeConfig.Key> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Checkout.require("src/site/markdown/runtime.md"))) {
            Matcher m = DOC_ROW.matcher(line.strip());
            if (m.matches()) {
                String d = m.group(2).strip();
                String def = d.equals("(empty)") ? "" : d.replaceAll("^`|`$", "");
                documented.put(m.group(1), new RuntimeConfig.Key(def, m.group(3).strip()));
            }
        }
        assertEquals(List.copyOf(RuntimeConfig.KEYS.keySet()), List.copyOf(documented.keySet()),
                "runtime.md's table names the keys RuntimeConfig knows, in its order");
        RuntimeConfig.KEYS.forEach((key, k) -> assertEquals(k, documented.get(key), "runtime.md on " + key));
    }

    @Test
    void theShippedConfNamesEveryKeyWithItsDefault() throws Exception {
        Path conf = Checkout.require("src/dist/pnn-edge.conf");
        Map<String, String> named = new LinkedHashMap<>();
        for (String line : Files.readAllLines(conf)) {
            Matcher m = CONF_LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String key = m.group(2);
            String value = m.group(3).strip();
            assertTrue(named.put(key, value) == null, key + " twice in pnn-edge.conf");
            boolean commented = !m.group(1).isEmpty();
            if (commented || !PI_SETTINGS.contains(key)) {
                assertTrue(RuntimeConfig.KEYS.containsKey(key), "pnn-edge.conf names an unknown key " + key);
                assertEquals(RuntimeConfig.KEYS.get(key).defaultValue(), value,
                        "pnn-edge.conf: " + key + " differs from the built-in default (a Pi setting? list it in "
                                + "PI_SETTINGS)");
            }
        }
        assertEquals(RuntimeConfig.KEYS.keySet(), named.keySet(), "pnn-edge.conf names exactly the known keys");
        // and the file loads as it is shipped
        RuntimeConfig.load(conf, Map.of(), Map.of());
    }
}

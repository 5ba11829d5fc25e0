package org.pnnedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Checkout;

/**
 * The arrows between runtime packages (each package-info.java says the same in words): no package uses one
 * above it, so there is no cycle. A new arrow is a design decision: add it here and in architecture.md (runtime section).
 */
class PackageDependenciesTest {
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("io", Set.of()),
            Map.entry("device", Set.of()),
            Map.entry("config", Set.of()),
            Map.entry("service", Set.of()),
            Map.entry("mqtt", Set.of()),
            Map.entry("fleet", Set.of("io")),
            Map.entry("ota", Set.of("io", "device")),
            Map.entry("recal", Set.of("io", "device", "service")),
            Map.entry("edge", Set.of("config", "service", "device", "io", "ota", "recal", "mqtt")),
            Map.entry("demo", Set.of("edge", "config", "mqtt", "service")),
            Map.entry("cli", Set.of("edge", "config", "service", "device", "io", "ota", "recal", "mqtt", "demo", "fleet")));

    private static final Pattern USE = Pattern.compile("org\\.pnnedge\\.runtime\\.([a-z]+)\\.");

    @Test
    void runtimePackagesUseOnlyThePackagesBelowThem() throws IOException {
        Map<String, Set<String>> actual = uses();
        assertEquals(ALLOWED.keySet(), actual.keySet(), "every runtime package is listed here");
        List<String> wrong = new ArrayList<>();
        actual.forEach((from, to) -> to.stream().filter(t -> !ALLOWED.get(from).contains(t))
                .forEach(t -> wrong.add(from + " -> " + t)));
        assertTrue(wrong.isEmpty(), "arrows not allowed: " + wrong);
    }

    @Test
    void theAllowedArrowsHaveNoCycle() {
        for (String start : ALLOWED.keySet()) {
            assertTrue(!reaches(start, start, new TreeSet<>()), "cycle through " + start);
        }
    }

    private static boolean reaches(String from, String target, Set<String> seen) {
        for (String next : ALLOWED.get(from)) {
            if (next.equals(target) || (seen.add(next) && reaches(next, target, seen))) {
                return true;
            }
        }
        return false;
    }

    /** Package → runtime packages its main sources name (imports and fully qualified names). */
    private static Map<String, Set<String>> uses() throws IOException {
        Path root = Checkout.require("runtime/src/main/java/org/pnnedge/runtime");
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f.getParent()).toString();
                Set<String> to = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = USE.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }
}

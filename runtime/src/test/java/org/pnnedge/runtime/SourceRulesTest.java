package org.pnnedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Checkout;

/**
 * The house rules of the developers' guide over the sources of every module of the checkout (found through
 * {@code pnn.home}, the module directories being its children with a {@code pom.xml}): no main class over 400 lines
 * without a reason at its top; a {@code package-info.java} in every main package; a Javadoc comment on every public
 * type; and no code, main or test, that finds the checkout by walking up directories. Each failure lists every
 * offending file, so one run shows the whole debt.
 */
class SourceRulesTest {
    /** The guide's "no main class over ~400 lines" (README "Code layout"), counted as {@code wc -l} does. */
    static final int MAX_LINES = 400;

    /** A public top-level or nested type declaration. */
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^\\s*public\\s+(?:(?:static|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
                    + "(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    /**
     * Ways of finding the checkout by walking: the working directory, a parent of a parent, a variable stepped to
     * its own parent in a loop, a path resolved upwards.
     */
    private static final Map<String, Pattern> WALKS = Map.of(
            "reads user.dir", Pattern.compile("getProperty\\(\\s*\"user\\.dir\""),
            "takes a parent's parent", Pattern.compile("getParent\\(\\)\\s*\\.getParent\\(\\)"),
            "steps a path to its parent in a loop", Pattern.compile("\\b(\\w+)\\s*=\\s*\\1\\.getParent\\(\\)"),
            "resolves a path upwards", Pattern.compile("(?:resolve|resolveSibling|Path\\.of|Paths\\.get)\\(\\s*\"\\.\\.[/\"]"));

    /**
     * Walks that are not a search for the checkout, each with its reason: the file's path relative to the checkout →
     * the walk it may contain.
     */
    private static final Map<String, String> WALKS_ALLOWED = Map.of(
            // checks that a server's system user can enter every directory above its state (a precondition, no search)
            "runtime/src/main/java/org/pnnedge/runtime/fleet/SystemUser.java", "steps a path to its parent in a loop");

    private static Path root;
    private static List<Path> modules;

    @BeforeAll
    static void findModules() throws IOException {
        root = Checkout.requireRoot();
        try (Stream<Path> children = Files.list(root)) {
            modules = children.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList();
        }
        assertTrue(modules.size() >= 6, "modules under " + root + ": " + modules);
    }

    @Test
    void noMainClassIsOver400LinesWithoutAReasonAtItsTop() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : files("src/main/java")) {
            List<String> lines = Files.readAllLines(f);
            if (lines.size() > MAX_LINES && !header(lines).contains(MAX_LINES + " lines")) {
                bad.add(rel(f) + " (" + lines.size() + " lines)");
            }
        }
        assertEquals(List.of(), bad, "main classes over " + MAX_LINES + " lines: split them, or say why at the top "
                + "(a comment before the class naming '" + MAX_LINES + " lines' and the reason)");
    }

    @Test
    void everyMainPackageHasPackageInfo() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : files("src/main/java")) {
            Path info = f.resolveSibling("package-info.java");
            if (!Files.exists(info) && !bad.contains(rel(info))) {
                bad.add(rel(info));
            }
        }
        assertEquals(List.of(), bad, "packages without package-info.java (what lives there, what it may import)");
    }

    @Test
    void everyPublicMainTypeHasAJavadocComment() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : files("src/main/java")) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = PUBLIC_TYPE.matcher(lines.get(i));
                if (m.find() && !javadocAbove(lines, i)) {
                    bad.add(rel(f) + ":" + (i + 1) + " " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), bad, "public types without a Javadoc comment saying what they are for");
    }

    @Test
    void noCodeFindsTheCheckoutByWalkingUpDirectories() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : files("src")) {
            String text = Files.readString(f);
            for (var rule : WALKS.entrySet()) {
                if (rule.getValue().matcher(text).find() && !rule.getKey().equals(WALKS_ALLOWED.get(rel(f)))) {
                    bad.add(rel(f) + ": " + rule.getKey());
                }
            }
        }
        assertEquals(List.of(), bad, "code that walks up directories: take the checkout from "
                + Checkout.PROPERTY + " (org.pnnedge.models.data.Checkout) or fixtures from the class path");
    }

    /** The rules can fail: each pattern finds what it is for. */
    @Test
    void theRulesRecogniseWhatTheyForbid() {
        assertTrue(WALKS.get("reads user.dir").matcher("System.getProperty(\"user.dir\")").find());
        assertTrue(WALKS.get("takes a parent's parent").matcher("p.getParent()" + ".getParent()").find());
        assertTrue(WALKS.get("steps a path to its parent in a loop").matcher("for (; d != null; d = d" + ".getParent())").find());
        assertTrue(WALKS.get("resolves a path upwards").matcher("base.resolve(\"../src/dist\")").find());
        assertTrue(PUBLIC_TYPE.matcher("    public static final class Builder {").find());
        assertTrue(PUBLIC_TYPE.matcher("public sealed interface Shape permits A {").find());
        List<String> noDoc = List.of("import x;", "", "@Command(name = \"x\",", "        mixin = true)",
                "public final class X {");
        assertTrue(!javadocAbove(noDoc, 4));
        List<String> doc = List.of("/** What X is for. */", "@Command(name = \"x\",", "        mixin = true)",
                "public final class X {");
        assertTrue(javadocAbove(doc, 3));
    }

    /** The lines before the first type declaration: the file's top, where a reason for its length belongs. */
    private static String header(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (PUBLIC_TYPE.matcher(l).find() || l.matches("^(?:final |abstract |sealed )*(?:class|interface|record|enum) .*")) {
                break;
            }
            b.append(l).append('\n');
        }
        return b.toString();
    }

    /**
     * Whether a Javadoc comment ends right above line {@code i}, annotations (also over several lines) in between:
     * going up, the first line that ends a statement or block decides.
     */
    private static boolean javadocAbove(List<String> lines, int i) {
        for (int j = i - 1; j >= 0; j--) {
            String l = lines.get(j).strip();
            if (l.endsWith("*/")) {
                return lines.get(j).contains("/**") || comment(lines, j);
            }
            if (l.isEmpty() || l.endsWith(";") || l.endsWith("{") || l.endsWith("}")) {
                return false;
            }
        }
        return false;
    }

    /** Whether the block comment that ends at line {@code end} began with {@code /**}. */
    private static boolean comment(List<String> lines, int end) {
        for (int j = end; j >= 0; j--) {
            if (lines.get(j).contains("/*")) {
                return lines.get(j).contains("/**");
            }
        }
        return false;
    }

    /** The .java files under {@code under} in every module. */
    private static List<Path> files(String under) throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path m : modules) {
            Path dir = m.resolve(under);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.filter(p -> p.toString().endsWith(".java")).filter(p -> !p.endsWith("package-info.java"))
                            .sorted().forEach(all::add);
                }
            }
        }
        assertTrue(!all.isEmpty(), "no .java files under */" + under + " in " + root);
        return all;
    }

    private static String rel(Path f) {
        return root.relativize(f).toString();
    }
}

package org.pnnedge.runtime;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What the Raspberry Pi's runtime lib carries: the runtime classpath that {@code copy-libs} copies to target/lib,
 * listed by the build ({@code list-runtime-classpath} in runtime/pom.xml). No chart code (the charts module is an
 * offline tool, in target/tools-lib), no embedded broker (target/demo-lib), no jsch, no commons-compress (only
 * {@code pnn data mnist} reads tarballs; tools-lib); and no project class outside the charts module draws with
 * java.awt or writes images.
 */
class PiRuntimeLibTest {

    /** Jars and class directories of the runtime classpath, as Maven resolved them for this build. */
    static List<Path> runtimeClasspath() throws IOException {
        try (InputStream in = PiRuntimeLibTest.class.getResourceAsStream("/runtime-classpath.txt")) {
            assertNotNull(in, "runtime-classpath.txt is missing from the test classes (runtime/pom.xml,"
                    + " execution list-runtime-classpath)");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<Path> out = new ArrayList<>();
            for (String entry : list.split(File.pathSeparator)) {
                out.add(Path.of(entry));
            }
            return out;
        }
    }

    @Test
    void theLibCarriesNoChartsNoBrokerNoJschNoTarReader() throws IOException {
        List<Path> entries = runtimeClasspath();
        assertTrue(entries.size() > 5, "implausibly short runtime classpath: " + entries);
        for (Path p : entries) {
            String name = p.toString();
            assertFalse(name.contains("jsch"), "jsch on the Pi's classpath: " + p);
            assertFalse(name.contains("hivemq"), "the demo broker on the Pi's classpath: " + p);
            assertFalse(name.contains("commons-compress"), "pnn data mnist's tarball reader on the Pi's classpath: " + p);
            assertFalse(contains(p, "org/pnnedge/charts/"), "chart code on the Pi's classpath: " + p);
            assertFalse(contains(p, "META-INF/services/org.pnnedge.models.plot.ChartRenderer"),
                    "a chart renderer on the Pi's classpath: " + p);
        }
    }

    @Test
    void noProjectCodeOnThePiDrawsOrWritesImages() {
        noClasses().that().resideInAPackage("org.pnnedge..").and().resideOutsideOfPackage("org.pnnedge.charts..")
                .should().dependOnClassesThat(resideInAnyPackage("java.awt..", "javax.imageio..", "org.pnnedge.charts.."))
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.pnnedge"));
    }

    @Test
    void testsStillFindTheRendererSoTrainingWritesItsPngs() {
        assertTrue(org.pnnedge.models.plot.Chart.canRender(), "the charts module is a test dependency");
        assertEquals("org.pnnedge.charts.Java2dChartRenderer",
                org.pnnedge.models.plot.Chart.renderer().orElseThrow().getClass().getName());
    }

    private static boolean contains(Path entry, String name) throws IOException {
        if (Files.isDirectory(entry)) {
            return Files.exists(entry.resolve(name));
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            return jar.stream().anyMatch(e -> e.getName().startsWith(name));
        }
    }
}

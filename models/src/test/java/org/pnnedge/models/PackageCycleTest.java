package org.pnnedge.models;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The models packages form the hierarchy of architecture.md ("models"): fails on any package cycle and on an import
 * that a package's package-info.java does not allow.
 */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pnnedge.models");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.pnnedge.(**)").should().beFreeOfCycles().check(MAIN);
    }

    /** What each package may import, as its package-info.java says; anything outside models is not checked. */
    private static final Map<String, List<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("", List.of()),
            Map.entry("audio", List.of("bundle", "data")),
            Map.entry("bench", List.of("data", "nn", "pnn", "twin")),
            Map.entry("bundle", List.of()),
            Map.entry("characterize", List.of()),
            Map.entry("data", List.of()),
            Map.entry("nn", List.of()),
            Map.entry("plot", List.of()),
            Map.entry("pnn", List.of("bundle", "nn", "twin")),
            Map.entry("twin", List.of("", "characterize", "nn")));

    @Test
    void everyPackageImportsOnlyWhatItsPackageInfoAllows() {
        for (var e : MAY_IMPORT.entrySet()) {
            String[] allowed = Stream.concat(Stream.of(e.getKey()), e.getValue().stream())
                    .map(PackageCycleTest::name).toArray(String[]::new);
            classes().that().resideInAPackage(name(e.getKey()))
                    .should().onlyDependOnClassesThat(resideInAnyPackage(allowed)
                            .or(resideOutsideOfPackage("org.pnnedge.models..")))
                    .check(MAIN);
        }
        Set<String> packages = MAIN.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertEquals(MAY_IMPORT.keySet().stream().map(PackageCycleTest::name).collect(Collectors.toSet()), packages,
                "a new package needs its line here and its package-info.java");
    }

    private static String name(String relative) {
        return relative.isEmpty() ? "org.pnnedge.models" : "org.pnnedge.models." + relative;
    }
}

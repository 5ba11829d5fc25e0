package org.pnnedge.bridge;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
 * The bridge's packages form a hierarchy (architecture.md): {@code protocol} at the bottom, the API package above
 * it and {@code transport}, the providers, transports, emulator and server on top. Fails on any package cycle.
 */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pnnedge.bridge");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.pnnedge.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void protocolDependsOnNothingElseInTheBridge() {
        classes().that().resideInAPackage("org.pnnedge.bridge.protocol")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.pnnedge.bridge.protocol", "java..")
                .check(MAIN);
    }

    /** What each package may import, as its package-info.java says; anything outside the bridge is not checked. */
    private static final Map<String, List<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("", List.of("protocol", "transport", "net")),
            Map.entry("protocol", List.of()),
            Map.entry("transport", List.of()),
            Map.entry("transport.spi", List.of("", "protocol", "transport")),
            Map.entry("transport.tcp", List.of("", "protocol", "transport", "tls")),
            Map.entry("tls", List.of()),
            Map.entry("transport.inprocess", List.of("transport", "transport.spi")),
            Map.entry("server", List.of("protocol", "transport", "tls", "net")),
            Map.entry("net", List.of()),
            Map.entry("emulator", List.of("", "protocol", "transport", "transport.spi", "transport.inprocess",
                    "emulator.physics")),
            Map.entry("emulator.physics", List.of("")),
            Map.entry("emulator.physics.shg", List.of("", "emulator.physics")),
            Map.entry("emulator.physics.circuit", List.of("", "emulator.physics")));

    @Test
    void everyPackageImportsOnlyWhatItsPackageInfoAllows() {
        for (var e : MAY_IMPORT.entrySet()) {
            String pkg = name(e.getKey());
            String[] allowed = Stream.concat(Stream.of(e.getKey()), e.getValue().stream())
                    .map(PackageCycleTest::name).toArray(String[]::new);
            classes().that().resideInAPackage(pkg)
                    .should().onlyDependOnClassesThat(resideInAnyPackage(allowed)
                            .or(resideOutsideOfPackage("org.pnnedge.bridge..")))
                    .check(MAIN);
        }
        Set<String> packages = MAIN.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertEquals(packages, MAY_IMPORT.keySet().stream().map(PackageCycleTest::name).collect(Collectors.toSet()),
                "a new package needs its line here and its package-info.java");
    }

    private static String name(String relative) {
        return relative.isEmpty() ? "org.pnnedge.bridge" : "org.pnnedge.bridge." + relative;
    }

    @Test
    void apiPackageNamesNoTransportEmulatorOrServer() {
        // devices are found through DeviceProvider and physics through PhysicsProvider, never by name
        noClasses().that().resideInAPackage("org.pnnedge.bridge")
                .should().dependOnClassesThat().resideInAnyPackage("org.pnnedge.bridge.transport.(*)..",
                        "org.pnnedge.bridge.emulator..", "org.pnnedge.bridge.server..")
                .check(MAIN);
        noClasses().that().resideInAPackage("org.pnnedge.bridge.emulator.physics")
                .should().dependOnClassesThat().resideInAnyPackage("org.pnnedge.bridge.emulator.physics.(*)..")
                .check(MAIN);
    }
}

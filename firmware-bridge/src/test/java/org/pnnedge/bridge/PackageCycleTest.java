package org.pnnedge.bridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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

package org.pnnedge.fleet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The controller's packages form no cycle, the database layer knows nothing of MQTT or the command line, and the
 * dispatcher stands beside rollouts and monitoring (it shares only the database layer with them).
 */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pnnedge.fleet");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.pnnedge.fleet.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theDatabaseLayerIsAtTheBottom() {
        noClasses().that().resideInAPackage("org.pnnedge.fleet.db..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pnnedge.fleet.cli..", "com.hivemq..",
                        "picocli..")
                .check(MAIN);
    }

    @Test
    void theDispatcherUsesOnlyTheDatabaseLayerOfThisModule() {
        noClasses().that().resideInAPackage("org.pnnedge.fleet.dispatch..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pnnedge.fleet.cli..",
                        "org.pnnedge.fleet.rollout..", "org.pnnedge.fleet.monitor..", "org.pnnedge.fleetsim..", "picocli..")
                .check(MAIN);
    }
}

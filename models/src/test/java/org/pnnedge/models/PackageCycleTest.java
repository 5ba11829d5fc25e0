package org.pnnedge.models;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Fails on any package cycle in the models module (there is none today). */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pnnedge.models");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.pnnedge.(**)").should().beFreeOfCycles().check(MAIN);
    }
}

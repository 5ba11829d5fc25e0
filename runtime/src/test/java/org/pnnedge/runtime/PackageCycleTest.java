package org.pnnedge.runtime;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Fails on any package cycle in the runtime (PackageDependenciesTest also pins which arrows are allowed). */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pnnedge.runtime");

    @Test
    void packagesAreFreeOfNewCycles() {
        slices().matching("org.pnnedge.(**)").should().beFreeOfCycles()
                .check(MAIN);
    }
}

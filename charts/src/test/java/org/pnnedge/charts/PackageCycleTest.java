package org.pnnedge.charts;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The charts module's packages form no cycle (one package today; a new one is covered as it comes). */
class PackageCycleTest {
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.pnnedge.(**)").should().beFreeOfCycles()
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.pnnedge.charts"));
    }
}

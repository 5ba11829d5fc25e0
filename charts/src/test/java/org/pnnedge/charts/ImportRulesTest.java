package org.pnnedge.charts;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The charts module imports only what package-info.java allows: of the project, {@code models.plot}. */
class ImportRulesTest {

    @Test
    void chartsImportOnlyThePlotDescriptions() {
        classes().should().onlyDependOnClassesThat(resideInAnyPackage("org.pnnedge.charts..", "org.pnnedge.models.plot..")
                        .or(resideOutsideOfPackage("org.pnnedge..")))
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.pnnedge.charts"));
    }
}

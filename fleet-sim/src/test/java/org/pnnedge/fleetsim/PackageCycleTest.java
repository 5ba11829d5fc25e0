package org.pnnedge.fleetsim;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.pnnedge.runtime.mqtt.Backoff;
import org.pnnedge.runtime.mqtt.FailoverOrder;
import org.pnnedge.runtime.mqtt.RequestError;
import org.pnnedge.runtime.mqtt.Topics;
import org.pnnedge.runtime.service.Answer;

/**
 * The simulator's packages form no cycle (one package today; a new one is covered as it comes), and it imports of
 * the project only what its package-info.java allows: the bridge's device description, the bundle format, the
 * checkout locator and the runtime's {@code ota} and {@code fleet} packages.
 */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pnnedge.fleetsim");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.pnnedge.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void importsOnlyWhatItsPackageInfoAllows() {
        classes().should().onlyDependOnClassesThat(resideInAnyPackage("org.pnnedge.fleetsim..", "org.pnnedge.bridge",
                        "org.pnnedge.models.bundle", "org.pnnedge.models.data", "org.pnnedge.models.nn", "org.pnnedge.models.pnn",
                        "org.pnnedge.models.twin", "org.pnnedge.runtime.ota", "org.pnnedge.runtime.fleet")
                        .or(JavaClass.Predicates.belongToAnyOf(Topics.class, RequestError.class, Backoff.class, FailoverOrder.class, Answer.class))
                        .or(resideOutsideOfPackage("org.pnnedge..")))
                .check(MAIN);
    }
}

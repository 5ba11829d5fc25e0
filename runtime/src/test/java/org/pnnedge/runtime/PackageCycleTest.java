package org.pnnedge.runtime;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Fails on any package cycle in the runtime, except the known ones listed (and only those edges) below. */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.pnnedge.runtime");

    @Test
    void packagesAreFreeOfNewCycles() {
        slices().matching("org.pnnedge.(**)").should().beFreeOfCycles()
                // KNOWN CYCLES, frozen (issue 11; being removed in the runtime restructuring):
                //   runtime.service -> runtime.ota   -> runtime.service (BundleStore uses AtomicFiles,
                //                                                        ProbeSelfTest uses DeviceAccess)
                //   runtime.service -> runtime.recal -> runtime.service (AtomicFiles, DeviceAccess, OutputCorrection)
                // Only these back edges are ignored: any other dependency that closes a cycle still fails.
                // Delete this ignore when those classes have left runtime.service.
                .ignoreDependency(resideInAnyPackage("org.pnnedge.runtime.ota", "org.pnnedge.runtime.recal"),
                        nameMatching("org\\.pnnedge\\.runtime\\.service\\.(AtomicFiles|DeviceAccess|OutputCorrection)"
                                + "(\\$.*)?"))
                .check(MAIN);
    }
}

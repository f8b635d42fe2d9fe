package dev.firebreak;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layout is the architecture (README, "Layout"): each capability is a package directly under dev.firebreak, and no
 * two of them depend on each other, directly or through others. A class that needs something from a package that
 * depends on it is in the wrong package (workload knowledge in {@code workload/}, meters with the capability that
 * counts them).
 */
@AnalyzeClasses(packages = "dev.firebreak", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {
    @ArchTest
    static final ArchRule capabilityPackagesHaveNoCycles =
            slices().matching("dev.firebreak.(*)..").namingSlices("$1").should().beFreeOfCycles();
}

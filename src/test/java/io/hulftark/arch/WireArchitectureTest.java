package io.hulftark.arch;

import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The wire's contract is what both the agent and the fleet view import: it knows neither of them nor any framework,
 * and the text rule is applied by calling it, not by copies of it.
 */
class WireArchitectureTest {

    @Test
    void theWirePackageImportsNeitherSideNorAFramework() {
        noClasses().that().resideInAPackage("io.hulftark.wire..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hulftark.agent..", "io.hulftark.fleet..",
                        "io.quarkus..", "jakarta..", "io.smallrye..", "io.vertx..", "com.fasterxml..")
                .check(ArchitectureTest.CLASSES);
    }

    @Test
    void bothSidesApplyTheWiresTextRule() {
        classes().that().haveFullyQualifiedName("io.hulftark.fleet.report.ReportValidator")
                .or().haveFullyQualifiedName("io.hulftark.agent.push.AgentReports")
                .or().haveFullyQualifiedName("io.hulftark.agent.api.ActionRequest")
                .or().haveFullyQualifiedName("io.hulftark.fleet.api.AckRequest")
                .or().haveFullyQualifiedName("io.hulftark.fleet.api.MaintenanceRequest")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.hulftark.wire.WireText")
                .check(ArchitectureTest.CLASSES);
    }
}

package io.hulftark.arch;

import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The wire's contract is what both the agent and the fleet view import: it knows neither of them nor any framework,
 * and the text rule is applied by calling it, not by copies of it. The agent and the fleet view share the wire
 * ({@code wire}), the HTTP concerns ({@code http}: tokens, roles, problem details) and the link's settings
 * ({@code link}), and never import each other.
 */
class WireArchitectureTest {

    @Test
    void theWirePackageImportsNeitherSideNorAFramework() {
        // Annotations that describe the JSON and the OpenAPI schema are allowed; no behaviour of a framework is.
        noClasses().that().resideInAPackage("io.hulftark.wire..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hulftark.agent..", "io.hulftark.fleet..",
                        "io.hulftark.http..", "io.quarkus..", "jakarta..", "io.smallrye..", "io.vertx..",
                        "com.fasterxml.jackson.databind..", "com.fasterxml.jackson.core..")
                .check(ArchitectureTest.CLASSES);
    }

    @Test
    void theAgentAndTheFleetViewDoNotImportEachOther() {
        noClasses().that().resideInAPackage("io.hulftark.agent..")
                .should().dependOnClassesThat().resideInAPackage("io.hulftark.fleet..")
                .check(ArchitectureTest.CLASSES);
        noClasses().that().resideInAPackage("io.hulftark.fleet..")
                .should().dependOnClassesThat().resideInAPackage("io.hulftark.agent..")
                .check(ArchitectureTest.CLASSES);
    }

    @Test
    void theSharedPackagesKnowNeitherSide() {
        noClasses().that().resideInAnyPackage("io.hulftark.http..", "io.hulftark.link..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hulftark.agent..", "io.hulftark.fleet..")
                .check(ArchitectureTest.CLASSES);
    }

    @Test
    void bothSidesApplyTheWiresTextRule() {
        classes().that().haveFullyQualifiedName("io.hulftark.wire.ReportValidator")
                .or().haveFullyQualifiedName("io.hulftark.agent.push.AgentReports")
                .or().haveFullyQualifiedName("io.hulftark.agent.api.ActionRequest")
                .or().haveFullyQualifiedName("io.hulftark.fleet.api.AckRequest")
                .or().haveFullyQualifiedName("io.hulftark.fleet.api.MaintenanceRequest")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.hulftark.wire.WireText")
                .check(ArchitectureTest.CLASSES);
    }
}

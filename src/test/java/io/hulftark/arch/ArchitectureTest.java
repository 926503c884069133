package io.hulftark.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The kit is plain Java: no framework, no OS binding, no HTTP; platform code stays in its own folder. */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.hulftark");

    @Test
    void theKitImportsNoFrameworkOsOrHttpCode() {
        noClasses().that().resideInAnyPackage("io.hulftark.kit..", "io.hulftark.hulft..", "io.hulftark.lifekeeper..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "io.smallrye..",
                        "picocli..", "com.sun.jna..", "io.vertx..", "java.net.http..",
                        "io.hulftark.platform.windows..", "io.hulftark.platform.linux..",
                        "io.hulftark.platform.command..", "io.hulftark.app..", "io.hulftark.cli..")
                .check(CLASSES);
    }

    @Test
    void onlyTheWindowsPlatformTouchesJna() {
        noClasses().that().resideOutsideOfPackage("io.hulftark.platform.windows..")
                .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..")
                .check(CLASSES);
    }

    @Test
    void theSimulatorIsNotPartOfTheKit() {
        noClasses().that().resideInAnyPackage("io.hulftark.kit..", "io.hulftark.hulft..", "io.hulftark.platform..",
                        "io.hulftark.lifekeeper..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hulftark.sim..")
                .check(CLASSES);
    }
}

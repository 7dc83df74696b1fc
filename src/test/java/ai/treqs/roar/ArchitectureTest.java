package ai.treqs.roar;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The package arrows of docs/architecture.md, checked on the compiled main classes: the telemetry core
 * never reaches up into the commands, its packages form no cycle, and it writes nothing to the standard
 * streams (what a user sees is printed by {@code cli}).
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = importMainClasses();

    /** From the main classes' directory: looking for the package on the whole test class path took seconds. */
    private static JavaClasses importMainClasses() {
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        try {
            return new ClassFileImporter().importPath(Path.of(ExitCode.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTelemetryCoreDoesNotDependOnTheCommands() {
        noClasses().that().resideInAPackage("ai.treqs.roar.telemetry..")
                .should().dependOnClassesThat().resideInAPackage("ai.treqs.roar.cli..")
                .check(MAIN);
    }

    @Test
    void theTelemetryCoreDoesNotDependOnTheHostCommands() {
        noClasses().that().resideInAPackage("ai.treqs.roar.telemetry..")
                .should().dependOnClassesThat().resideInAPackage("ai.treqs.roar.host..")
                .check(MAIN);
    }

    /** {@code io} uses no other roar package; {@code queue} and {@code env} use only {@code io}. */
    @Test
    void theLowestPackagesUseOnlyIo() {
        for (String layer : new String[] {"io", "queue", "env"}) {
            String own = "ai.treqs.roar.telemetry." + layer + "..";
            noClasses().that().resideInAPackage(own)
                    .should().dependOnClassesThat(resideInAPackage("ai.treqs.roar..")
                            .and(not(resideInAnyPackage(own, "ai.treqs.roar.telemetry.io.."))))
                    .check(MAIN);
        }
    }

    @Test
    void theTelemetryPackagesHaveNoCycle() {
        slices().matching("ai.treqs.roar.telemetry.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theTelemetryCoreDoesNotWriteToTheStandardStreams() {
        noClasses().that().resideInAPackage("ai.treqs.roar.telemetry..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .check(MAIN);
    }

    @Test
    void theTelemetryCoreHoldsNoPrintStreamOrPrintWriter() {
        noClasses().that().resideInAPackage("ai.treqs.roar.telemetry..")
                .should().dependOnClassesThat().areAssignableTo(PrintStream.class)
                .orShould().dependOnClassesThat().areAssignableTo(PrintWriter.class)
                .check(MAIN);
    }
}

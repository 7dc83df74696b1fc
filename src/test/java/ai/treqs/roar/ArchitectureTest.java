package ai.treqs.roar;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.GeneralCodingRules;

import ai.treqs.roar.telemetry.io.TerminalText;

/**
 * The package arrows of docs/architecture.md, checked on the compiled main classes: the telemetry core
 * never reaches up into the commands, its packages form no cycle, and it writes nothing to the standard
 * streams, makes no terminal text and chooses no exit code (what a user sees, and how roar exits, is
 * {@code cli}'s).
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

    /** Exit codes are the commands' choice: the core returns outcomes, cli maps them to an {@link ExitCode}. */
    @Test
    void theTelemetryCoreChoosesNoExitCode() {
        noClasses().that().resideInAPackage("ai.treqs.roar.telemetry..")
                .should().dependOnClassesThat().areAssignableTo(ExitCode.class)
                .check(MAIN);
    }

    /**
     * Text for the terminal is made inert where it is printed: a telemetry class that called {@link TerminalText}
     * would be composing output ({@code io/Json} shares only its rule of which characters are unsafe).
     */
    @Test
    void theTelemetryCoreMakesNoTerminalText() {
        noClasses().that().resideInAPackage("ai.treqs.roar.telemetry..")
                .should().callMethod(TerminalText.class, "inert", CharSequence.class)
                .orShould().callMethod(TerminalText.class, "inertLines", CharSequence.class)
                .check(MAIN);
    }

    /** The {@code roar telemetry} actions return outcomes (records, sealed types), never the text cli prints for them. */
    @Test
    void theTelemetryActionsReturnOutcomesNotText() {
        methods().that().areDeclaredInClassesThat().resideInAPackage("ai.treqs.roar.telemetry.control..")
                .and().areDeclaredInClassesThat().areAnnotatedWith(ApplicationScoped.class)
                .and().arePublic()
                .should().notHaveRawReturnType(String.class)
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

package ai.treqs.roar.telemetry.env;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Production bindings of the small seams to the outside world; tests replace them with alternatives. */
@ApplicationScoped
@RegisterForReflection(targets = Console.class, methods = true, fields = false)
public class HostSeams {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
    WorkingDirectory workingDirectory() {
        Path cwd = WorkingDirectory.baseFor(Path.of("").toAbsolutePath()); // relative when Java's text names another directory
        return () -> cwd;
    }

    @Produces
    @Singleton
    @DefaultBean
    Terminal terminal() {
        return new Terminal() {
            @Override public boolean isInteractive() { return consoleIsTerminal(); }
            @Override public boolean stderrIsInteractive() { return consoleIsTerminal() && stderrIsStdinOrStdout(); }
        };
    }

    /**
     * Java cannot ask isatty(2); with stdin and stdout terminals, stderr is one when it is the same
     * file as either of them (Linux and macOS both show a process' descriptors under /dev/fd).
     */
    static boolean stderrIsStdinOrStdout() {
        try {
            Path err = Path.of("/dev/fd/2");
            return Files.isSameFile(err, Path.of("/dev/fd/1")) || Files.isSameFile(err, Path.of("/dev/fd/0"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * JDK 17 returns a console only when stdin and stdout are terminals. From JDK 22 a console may
     * exist without a terminal, and {@code Console.isTerminal()} tells; it is looked up by name
     * because the source level is 17.
     */
    static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        if (Runtime.version().feature() < 22) {
            return true;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}

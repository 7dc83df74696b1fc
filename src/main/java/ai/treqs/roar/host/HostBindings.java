package ai.treqs.roar.host;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

import org.graalvm.nativeimage.ImageInfo;

import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.InheritedEnvironment;
import ai.treqs.roar.telemetry.env.WorkingDirectory;

/** Production binding of {@link ChildProcesses} to real operating-system processes. */
@ApplicationScoped
public class HostBindings {
    private static final File NULL_DEVICE = new File("/dev/null");
    private static final Path KILL = Path.of("/bin/kill");
    private static final Path ENV = Path.of("/usr/bin/env");
    private static volatile List<String> SIGQUIT_RESET;

    @Produces
    @Singleton
    @DefaultBean
    ChildProcesses childProcesses(Environment env) {
        return new ChildProcesses() {
            @Override
            public Child start(List<String> command, Path cwd, Map<String, String> environment) throws IOException {
                ExactChild.Plan plan = ExactChild.plan(command, environment, sigquitReset(), ENV.toString(),
                        InheritedDescriptors.redirections(launcherRecord(env), ProcessHandle.current().pid()));
                ProcessBuilder builder = new ProcessBuilder(searchedAsExecvp(plan.command(), env.get("PATH"))).directory(directory(cwd))
                        .redirectInput(JvmDescriptors.replaceWithNullDevice(0) ? Redirect.from(NULL_DEVICE) : Redirect.INHERIT)
                        .redirectOutput(JvmDescriptors.replaceWithNullDevice(1) ? Redirect.to(NULL_DEVICE) : Redirect.INHERIT)
                        .redirectError(JvmDescriptors.replaceWithNullDevice(2) ? Redirect.to(NULL_DEVICE) : Redirect.INHERIT);
                InheritedEnvironment.edit(builder.environment(), environment); // the user's bytes where roar changes nothing
                builder.environment().keySet().removeAll(plan.withheld()); // given by env's command line alone
                Process process = builder.start();
                return new Child() {
                    @Override public int waitFor() throws InterruptedException { return process.waitFor(); }
                    @Override public void terminate() { process.destroy(); }
                    @Override public void hangUp() { signal(process, "HUP"); }
                };
            }

            @Override
            public Captured capture(List<String> command, Path cwd, Map<String, String> environmentChanges, Duration bound)
                    throws IOException, InterruptedException {
                ProcessBuilder builder = new ProcessBuilder(helperCommand(command, env.get("PATH"))).directory(directory(cwd))
                        .redirectInput(Redirect.from(NULL_DEVICE))
                        .redirectError(Redirect.DISCARD);
                builder.environment().putAll(environmentChanges);
                Process process = builder.start();
                CompletableFuture<String> out = new CompletableFuture<>();
                Thread reader = new Thread(() -> {
                    try {
                        out.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        out.complete("");
                    }
                }, "helper-output");
                reader.setDaemon(true);
                reader.start();
                if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new Captured(-1, "");
                }
                try {
                    return new Captured(process.exitValue(), out.get(bound.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException | TimeoutException e) {
                    return new Captured(-1, ""); // a grandchild holds the pipe open: no answer
                }
            }
        };
    }

    /**
     * The user's command, looked up as a shell and {@code execvp(3)} look it up. With {@code PATH} unset, Java's own
     * search is {@code :/bin:/usr/bin}, the working directory first (JDK 20 and later start the command directly);
     * {@code env(1)} searches {@code /bin:/usr/bin}, as {@link Executables} judged it.
     */
    static List<String> searchedAsExecvp(List<String> command, Optional<String> path) {
        String name = command.get(0);
        if (path.isPresent() || name.indexOf('/') >= 0 || !Files.isExecutable(ENV)) {
            return command;
        }
        List<String> line = new ArrayList<>();
        if (name.startsWith("-") || name.indexOf('=') >= 0) { // env would take it for an option or an assignment
            Executables.helper(name, path).ifPresent(found -> line.add(found.toString()));
            if (line.isEmpty()) {
                return command;
            }
        } else {
            line.add(ENV.toString());
            line.add(name);
        }
        line.addAll(command.subList(1, command.size()));
        return line;
    }

    /**
     * A helper's command line with every program roar names absolute: the helper from {@code PATH}'s absolute
     * entries only, never the working directory (Java's own search puts it first when {@code PATH} is unset);
     * started through {@code setsid}, when there is one, in a new session without a controlling terminal, so that
     * a file the repository names ({@code [include] path = /dev/tty}) cannot read what the user types for the job.
     */
    static List<String> helperCommand(List<String> command, Optional<String> path) throws IOException {
        String program = command.get(0);
        if (program.indexOf('/') < 0) {
            program = Executables.helper(program, path)
                    .orElseThrow(() -> new IOException(command.get(0) + ": not found on PATH's absolute directories"))
                    .toString();
        }
        List<String> line = new ArrayList<>();
        Executables.helper("setsid", path).ifPresent(setsid -> line.add(setsid.toString()));
        line.add(program);
        line.addAll(command.subList(1, command.size()));
        return line;
    }

    /**
     * The child's directory: none (it inherits roar's own, the directory itself, whatever happens to its name) for
     * roar's own working directory, named by the kernel ({@link WorkingDirectory#OWN}) or by Java's text of it (the
     * JVM never changes it); a name could lead elsewhere once the directory is renamed during the git check.
     */
    static File directory(Path cwd) {
        return cwd.equals(WorkingDirectory.OWN) || cwd.equals(Path.of("").toAbsolutePath()) ? null : cwd.toFile();
    }

    /**
     * On a JDK that starts children with SIGQUIT blocked, the {@code env} option that unblocks it
     * ({@code --default-signal=QUIT}, coreutils 8.31 and later), if this machine's {@code env} has it; asked once.
     */
    private static List<String> sigquitReset() {
        if (Runtime.version().feature() >= ExactChild.FIRST_JDK_CLEARING_THE_MASK || !Files.isExecutable(ENV)) {
            return List.of();
        }
        List<String> reset = SIGQUIT_RESET;
        if (reset == null) {
            reset = List.of();
            try {
                Process probe = new ProcessBuilder(ENV.toString(), "--default-signal=QUIT", "true")
                        .redirectInput(Redirect.from(NULL_DEVICE)).redirectOutput(Redirect.DISCARD)
                        .redirectError(Redirect.DISCARD).start();
                if (probe.waitFor() == 0) {
                    reset = List.of("--default-signal=QUIT");
                }
            } catch (IOException e) {
                // no such env: the child keeps the JVM's mask (docs/host-commands.md says so)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            SIGQUIT_RESET = reset;
        }
        return reset;
    }

    /** Java can only send SIGTERM and SIGKILL itself; other signals go through kill(1). */
    private static void signal(Process process, String name) {
        if (!Files.isExecutable(KILL)) {
            process.destroy();
            return;
        }
        try {
            new ProcessBuilder(KILL.toString(), "-s", name, Long.toString(process.pid()))
                    .redirectInput(Redirect.from(NULL_DEVICE)).redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD).start();
        } catch (IOException e) {
            process.destroy();
        }
    }

    /**
     * The launcher's record of the descriptors the user gave; the native executable has no launcher, so a value
     * there was inherited, not written for this process, and would hand the child roar's own files.
     */
    private static Optional<String> launcherRecord(Environment env) {
        return ImageInfo.inImageRuntimeCode() ? Optional.empty() : env.get(InheritedDescriptors.SAVED);
    }
}

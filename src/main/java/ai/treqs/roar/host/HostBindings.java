package ai.treqs.roar.host;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** Production binding of {@link ChildProcesses} to real operating-system processes. */
@ApplicationScoped
public class HostBindings {
    private static final File NULL_DEVICE = new File("/dev/null");
    private static final Path KILL = Path.of("/bin/kill");

    @Produces
    @Singleton
    @DefaultBean
    ChildProcesses childProcesses() {
        return new ChildProcesses() {
            @Override
            public Child start(List<String> command, Path cwd, Map<String, String> environment) throws IOException {
                ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                        .redirectInput(JvmDescriptors.replaceWithNullDevice(0) ? Redirect.from(NULL_DEVICE) : Redirect.INHERIT)
                        .redirectOutput(JvmDescriptors.replaceWithNullDevice(1) ? Redirect.to(NULL_DEVICE) : Redirect.INHERIT)
                        .redirectError(JvmDescriptors.replaceWithNullDevice(2) ? Redirect.to(NULL_DEVICE) : Redirect.INHERIT);
                builder.environment().clear();
                builder.environment().putAll(environment);
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
                ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
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
}

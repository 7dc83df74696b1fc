package ai.treqs.roar.host;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** Production binding of {@link ChildProcesses} to real operating-system processes. */
@ApplicationScoped
public class HostBindings {

    @Produces
    @Singleton
    @DefaultBean
    ChildProcesses childProcesses() {
        return new ChildProcesses() {
            @Override
            public Child start(List<String> command, Path cwd, Map<String, String> environment) throws IOException {
                ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).inheritIO();
                builder.environment().clear();
                builder.environment().putAll(environment);
                Process process = builder.start();
                return new Child() {
                    @Override public int waitFor() throws InterruptedException { return process.waitFor(); }
                    @Override public void terminate() { process.destroy(); }
                };
            }

            @Override
            public Captured capture(List<String> command, Path cwd) throws IOException, InterruptedException {
                Process process = new ProcessBuilder(command).directory(cwd.toFile())
                        .redirectInput(Redirect.from(new File("/dev/null")))
                        .redirectError(Redirect.DISCARD).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return new Captured(process.waitFor(), out);
            }
        };
    }
}

package ai.treqs.roar.telemetry.upload;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.InheritedEnvironment;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.LaunchMode;

/** Production bindings of the process launcher and of how an upload is started. */
@ApplicationScoped
public class UploadSeams {
    private static final Logger LOG = Logger.getLogger(UploadSeams.class);

    @Produces
    @Singleton
    @DefaultBean
    ProcessLauncher processLauncher() {
        return (command, environment) -> {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD);
            InheritedEnvironment.edit(builder.environment(), environment);
            builder.start();
        };
    }

    /**
     * A detached new instance of this program; under {@code quarkus dev} there is no jar to relaunch,
     * so the upload runs in this JVM after the command (docs/telemetry.md#upload-mechanics).
     */
    @Produces
    @Singleton
    @DefaultBean
    UploadStarter uploadStarter(ProcessLauncher launcher, Environment env, WorkingDirectory cwd,
                                Instance<Uploader> uploader) {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            return () -> {
                try {
                    UploadReport report = uploader.get().run();
                    LOG.infof("dev mode upload: uploaded %d, kept %d, removed %d%s", report.uploaded(), report.kept(),
                            report.removed(), report.stopReason().map(r -> " (" + r + ")").orElse(""));
                    return true;
                } catch (IOException | RuntimeException e) {
                    LOG.infof("dev mode upload failed: %s", e.toString());
                    return false;
                }
            };
        }
        return new DetachedUploadStarter(launcher, env, () -> RuntimeKind.current(cwd.path()));
    }
}

package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import ai.treqs.roar.telemetry.env.Environment;

/** Production: the uploader as a new, detached instance of this program (new session via setsid). */
public final class DetachedUploadStarter implements UploadStarter {
    private static final Logger LOG = Logger.getLogger(DetachedUploadStarter.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /**
     * The uploader is started through {@code sh -c '"$@" &'}: the shell puts it in the background and
     * exits at once. Started directly, it stayed a child of this JVM, whose process-reaper thread then sat
     * in waitpid(2) until the uploader ended; HotSpot waits up to 300 ms at exit for threads in native
     * code, so every command that started an uploader exited about 300 ms late.
     */
    private static final Path SH = Path.of("/bin/sh");
    static final List<String> IN_BACKGROUND = List.of(SH.toString(), "-c", "\"$@\" &", "roar-uploader");

    /** Read by every JVM it starts: an agent or a suspended debugger here would run in, or hang, the uploader (docs/security.md#the-inherited-environment). */
    static final Set<String> JVM_OPTION_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final ProcessLauncher launcher;
    private final Environment env;
    private final Supplier<RelaunchCommand.Running> running;

    public DetachedUploadStarter(ProcessLauncher launcher, Environment env, Supplier<RelaunchCommand.Running> running) {
        this.launcher = launcher;
        this.env = env;
        this.running = running;
    }

    @Override
    public boolean start() {
        Optional<String> setsid = Files.isExecutable(SETSID) ? Optional.of(SETSID.toString()) : Optional.empty();
        Optional<List<String>> command = RelaunchCommand.of(running.get(), setsid);
        if (command.isEmpty()) {
            LOG.debug("no relaunchable command for the uploader");
            return false;
        }
        List<String> argv = command.get();
        if (Files.isExecutable(SH)) {
            argv = new ArrayList<>(IN_BACKGROUND);
            argv.addAll(command.get());
        }
        try {
            launcher.startDetached(argv, uploaderEnvironment(env.all()));
            return true;
        } catch (IOException e) {
            LOG.debugf("uploader not started: %s", e.getMessage());
            return false;
        }
    }

    /** The same environment less the variables any JVM takes options from; its JVM options are the relaunch allowlist's. */
    static Map<String, String> uploaderEnvironment(Map<String, String> environment) {
        Map<String, String> kept = new HashMap<>(environment);
        kept.keySet().removeAll(JVM_OPTION_VARIABLES);
        return kept;
    }
}

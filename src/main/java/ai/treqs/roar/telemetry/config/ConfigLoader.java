package ai.treqs.roar.telemetry.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.SuppressionDetector;
import ai.treqs.roar.telemetry.env.UserMessages;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.io.FileOwner;
import ai.treqs.roar.telemetry.io.OwnDirectory;
import io.quarkus.runtime.LaunchMode;

/** Reads the sources of the effective configuration from disk and the environment, and hands each warning over once. */
@ApplicationScoped
public class ConfigLoader {
    public static final String PROJECT_FILE = ".roar/config.toml";
    /** How many directories, the working directory and those above it, are looked at for project files. */
    public static final int MAX_PROJECT_LEVELS = 64;

    private final Environment env;
    private final WorkingDirectory workingDirectory;
    private final SuppressionDetector suppression;
    private final UserMessages messages;
    private final BuildDefaults build;
    private final String productionEndpoint;
    private final Set<String> warned = new HashSet<>();

    @Inject
    public ConfigLoader(Environment env, WorkingDirectory workingDirectory, SuppressionDetector suppression,
                        @ConfigProperty(name = "roar.dev.endpoint") Optional<String> devEndpoint, UserMessages messages) {
        this.env = env;
        this.messages = messages;
        this.workingDirectory = workingDirectory;
        this.suppression = suppression;
        BuildDefaults baked = BuildDefaults.load();
        this.productionEndpoint = baked.endpoint();
        // quarkus dev has no packaged artifact: its "build default" endpoint is the %dev profile's collector
        this.build = LaunchMode.current() == LaunchMode.DEVELOPMENT && devEndpoint.isPresent()
                ? new BuildDefaults(baked.version(), baked.enabled(), devEndpoint.get())
                : baked;
    }

    public BuildDefaults build() {
        return build;
    }

    /** The endpoint baked into the artifact: what {@code glaas_endpoint_kind} calls {@code default_prod}, even under quarkus dev. */
    public String productionEndpoint() {
        return productionEndpoint;
    }

    public RoarPaths paths() {
        return RoarPaths.resolve(env);
    }

    /** The configuration for a foreground command run in the working directory. */
    public EffectiveConfig forCommand() {
        return resolve(true);
    }

    /** The configuration for the uploader: project files were applied when events were queued (docs/telemetry.md#upload-mechanics). */
    public EffectiveConfig forUploader() {
        return resolve(false);
    }

    private EffectiveConfig resolve(boolean withProject) {
        RoarPaths paths = paths();
        ConfigFile system = systemFile(paths);
        ConfigFile global = globalFile(paths);
        List<ConfigFile> projects = withProject ? findProjectFiles() : List.of();
        ConfigFile project = projects.isEmpty() ? new ConfigFile.Absent(withProject ? workingDirectory.path().resolve(PROJECT_FILE)
                : Path.of(PROJECT_FILE)) : projects.get(0);
        ConfigResolver.Resolution resolution = ConfigResolver.resolve(new ConfigResolver.Sources(
                suppression.detect(env), system, global, project, env.get("ROAR_TELEMETRY_ENDPOINT"), build, paths.noHome(),
                projects.isEmpty() ? List.of() : projects.subList(1, projects.size())));
        List<String> warnings = new ArrayList<>(resolution.warnings());
        if (resolution.config().suppression().isEmpty()) {
            // another user's file in an XDG_CONFIG_DIRS entry: it neither switches telemetry on or off nor redirects it
            RoarPaths.ignoredSystemConfigs(env).forEach(u -> warnings.add(u.path() + ": ignored, " + u.why()));
        }
        for (String warning : warnings) {
            if (warned.add(warning)) {
                messages.warning(warning);
            }
        }
        return resolution.config();
    }

    /** The administrator's file; an XDG_CONFIG_DIRS entry roar cannot name before it is an invalid one (system_config_invalid). */
    public static ConfigFile systemFile(RoarPaths paths) {
        return paths.unnamed().system().<ConfigFile>map(f -> f)
                .or(() -> paths.systemConfig().map(ConfigFileReader::read))
                .orElse(new ConfigFile.Absent(RoarPaths.DEFAULT_SYSTEM_CONFIG));
    }

    /** No home: no file. A config directory another user owns or can write: its file is not read. */
    private static ConfigFile globalFile(RoarPaths paths) {
        if (paths.noHome()) {
            return new ConfigFile.Absent(paths.globalConfig());
        }
        if (paths.unnamed().config().isPresent()) {
            return paths.unnamed().config().get(); // the user's opt-out may be there: fails closed (global_config_invalid)
        }
        Optional<String> foreignDir = OwnDirectory.problem(paths.roarConfigDir());
        if (foreignDir.isPresent() && !(PathCheck.check(paths.globalConfig()) instanceof PathCheck.Missing)) {
            // say which is foreign: the file may well be the user's, in a directory that is not
            String why = FileOwner.isCurrentUser(paths.globalConfig())
                    ? "it is the current user's file but in a directory others can change: " + foreignDir.get()
                    : ConfigFile.Foreign.NOT_OWNED + " and is in a directory others can change: " + foreignDir.get();
            return new ConfigFile.Foreign(paths.globalConfig(), why);
        }
        // the user's opt-out lives here: if another user could rename a directory on its way (or the file a link
        // names) they could make it vanish or say otherwise, so that fails closed (docs/security.md#the-global-file)
        // (CONFIG_HOME itself and roar/ have their own answer: enabled, cannot record; docs/security.md)
        if (foreignDir.isEmpty() && OwnDirectory.homeProblem(paths.configHome()).isEmpty()
                && SystemFileTrust.judge(paths.globalConfig()) instanceof SystemFileTrust.Untrusted untrusted) {
            return new ConfigFile.Invalid(paths.globalConfig(), "another user could change or remove it: " + untrusted.why());
        }
        return ConfigFileReader.read(paths.globalConfig());
    }

    /**
     * The project files from the working directory up, nearest first: the nearest one as it is (another user's is
     * foreign, with a warning), then the current user's own in the directories above it, which can only restrict
     * (a cloned repository's own file must not cancel the opt-out of the directory it was cloned into). Every
     * directory up to the root is looked at, at most {@value #MAX_PROJECT_LEVELS} of them
     * (docs/configuration.md#the-project-file).
     */
    private List<ConfigFile> findProjectFiles() {
        List<ConfigFile> found = new ArrayList<>();
        List<Path> dirs = WorkingDirectory.upward(workingDirectory.path());
        for (Path dir : dirs.subList(0, Math.min(dirs.size(), MAX_PROJECT_LEVELS))) {
            Path candidate = dir.resolve(PROJECT_FILE);
            PathCheck.Answer answer = PathCheck.check(candidate);
            ConfigFile file;
            if (answer instanceof PathCheck.Unchecked) {
                // the user's own dangling link fails closed (project_config_invalid); another user's is foreign,
                // or anyone who can write a shared parent could switch telemetry off for everyone below it
                file = madeByAnotherUser(candidate) ? new ConfigFile.Foreign(candidate) : ConfigFileReader.read(candidate, answer);
            } else if (answer instanceof PathCheck.Present) {
                file = FileOwner.isCurrentUser(candidate) ? ConfigFileReader.read(candidate, answer) : new ConfigFile.Foreign(candidate);
            } else {
                continue;
            }
            // above the nearest one, another user's file is passed over without a word (a shared /srv or /tmp)
            if (found.isEmpty() || !(file instanceof ConfigFile.Foreign)) {
                found.add(file);
            }
        }
        return found;
    }

    /** Whether the nearest of {@code file} and its directory that exists (links not followed) is another user's. */
    private static boolean madeByAnotherUser(Path file) {
        for (Path p : List.of(file, file.getParent())) {
            try {
                Object owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                return FileOwner.currentUid().map(me -> !owner.equals(me)).orElse(false);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
                // not there, or no owner to ask: look at its directory
            }
        }
        return false;
    }
}

package ai.treqs.roar.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.Terminal;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.upload.ProcessLauncher;
import ai.treqs.roar.telemetry.upload.UploadStarter;

/**
 * The outside world of in-process tests: an explicit environment (CI sets {@code CI=true} on the machine;
 * tests must not see it), a working directory, a terminal flag, and a process launcher that records
 * instead of starting. Set with {@link #isolate} before each launch. {@code @QuarkusMainTest} wiring tests
 * get these seams as CDI alternatives; {@code cli/InProcessCli} calls the same producers without CDI.
 */
@Singleton
public class TestHost {
    // System properties, not static fields: the test class and the application under test may be
    // loaded by different class loaders, and only the JVM's properties are shared by both.
    private static final String ENV = "roar.test.env";
    private static final String CWD = "roar.test.cwd";
    private static final String INTERACTIVE = "roar.test.interactive";
    private static final String LAUNCHED = "roar.test.launched";
    private static final String SEP = "\u0000";
    private static final String ROW = "\u0001";

    /** A clean install under {@code root}: HOME, XDG config and cache dirs, no CI markers; cwd = root/work. */
    public static Map<String, String> isolate(Path root) {
        Map<String, String> e = new HashMap<>();
        e.put("HOME", root.resolve("home").toString());
        e.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        e.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        e.put("XDG_CONFIG_DIRS", root.resolve("etc-xdg").toString());
        e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        setEnv(e);
        Path work = root.resolve("work");
        work.toFile().mkdirs();
        setCwd(work);
        setInteractive(false);
        System.clearProperty(LAUNCHED);
        return e;
    }

    public static void setEnv(Map<String, String> variables) {
        StringBuilder sb = new StringBuilder();
        variables.forEach((k, v) -> sb.append(k).append(SEP).append(v).append(ROW));
        System.setProperty(ENV, sb.toString());
    }

    public static Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        for (String row : System.getProperty(ENV, "").split(ROW)) {
            int at = row.indexOf(SEP);
            if (at > 0) {
                e.put(row.substring(0, at), row.substring(at + 1));
            }
        }
        return e;
    }

    public static void put(String name, String value) {
        Map<String, String> e = env();
        e.put(name, value);
        setEnv(e);
    }

    public static void remove(String name) {
        Map<String, String> e = env();
        e.remove(name);
        setEnv(e);
    }

    public static void setCwd(Path dir) {
        System.setProperty(CWD, dir.toAbsolutePath().toString());
    }

    public static void setInteractive(boolean value) {
        System.setProperty(INTERACTIVE, Boolean.toString(value));
    }

    /** The commands the code under test asked to start detached (the uploader), in order. */
    public static synchronized List<List<String>> launched() {
        List<List<String>> all = new ArrayList<>();
        for (String row : System.getProperty(LAUNCHED, "").split(ROW)) {
            if (!row.isEmpty()) {
                all.add(List.of(row.split(SEP)));
            }
        }
        return all;
    }

    private static synchronized void recordLaunch(List<String> command) {
        System.setProperty(LAUNCHED, System.getProperty(LAUNCHED, "") + String.join(SEP, command) + ROW);
    }

    @Produces @Singleton @Alternative @Priority(10)
    public Environment environment() {
        return new Environment() {
            @Override public Optional<String> get(String name) { return Optional.ofNullable(env().get(name)); }
            @Override public Map<String, String> all() { return env(); }
        };
    }

    @Produces @Singleton @Alternative @Priority(10)
    public WorkingDirectory workingDirectory() {
        return new WorkingDirectory() {
            @Override public Path path() { return Path.of(System.getProperty(CWD, Path.of("").toAbsolutePath().toString())); }
            // the test's directory is not the process' own: it is reached by its name
            @Override public Path reached() { return path(); }
        };
    }

    @Produces @Singleton @Alternative @Priority(10)
    public Terminal terminal() {
        return () -> Boolean.getBoolean(INTERACTIVE);
    }

    @Produces @Singleton @Alternative @Priority(10)
    public ProcessLauncher processLauncher() {
        return (command, environment) -> recordLaunch(command);
    }

    /** In-process tests have no jar to relaunch: a started upload is recorded as the command {@code [upload]}. */
    @Produces @Singleton @Alternative @Priority(10)
    public UploadStarter uploadStarter() {
        return () -> {
            recordLaunch(List.of("upload"));
            return true;
        };
    }
}

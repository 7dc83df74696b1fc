package ai.treqs.roar.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged CLI ({@code target/quarkus-app/quarkus-run.jar}) as a user would, in a scrubbed
 * environment: only PATH, HOME and XDG dirs under a temp root, plus what a test adds. Nothing of the
 * machine's environment (CI=true on CI) leaks in. The JVM gets the launcher's flags and a start-up cache
 * ({@link JvmStartCache}), as {@code target/roar} gives it on a user's machine. With the system property {@value #NATIVE_PROPERTY}
 * naming a native executable ({@code ./mvnw verify -Dnative-its}) that executable runs instead, and
 * JVM options are not passed: they mean nothing to it.
 */
public final class RoarProcess {
    private final Path root;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path launcher;
    private Path cwd;
    private Path jar = jar();

    /** What a finished process left. */
    public record Result(int exitCode, String stdout, String stderr, Duration wall) {}

    public RoarProcess(Path root) throws IOException {
        this.root = root;
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", root.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        env.put("XDG_CONFIG_DIRS", root.resolve("etc-xdg").toString());
        env.put("LANG", "C.UTF-8");
        cwd = root.resolve("work");
        Files.createDirectories(cwd);
        Files.createDirectories(root.resolve("home"));
    }

    /** The system property naming the native executable the process tests start instead of the jar. */
    public static final String NATIVE_PROPERTY = "roar.native";

    /** Why a test that needs the JVM build (JVM flags, the jar, the launcher script) skips itself natively. */
    public static final String JVM_ONLY = "needs the JVM build (java -jar, JVM options or the jar launcher); "
            + NATIVE_PROPERTY + " names a native executable";

    /** Whether the process tests run the native executable named by {@value #NATIVE_PROPERTY}. */
    public static boolean isNative() {
        return !System.getProperty(NATIVE_PROPERTY, "").isEmpty();
    }

    /** The native executable under test; fails when it is the native check's placeholder script. */
    public static Path nativeExecutable() {
        Path executable = Path.of(System.getProperty(NATIVE_PROPERTY)).toAbsolutePath();
        try (java.io.InputStream in = Files.newInputStream(executable)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4 || magic[0] != 0x7f || magic[1] != 'E' || magic[2] != 'L' || magic[3] != 'F') {
                throw new IllegalStateException(executable + " is not an ELF executable (the native check's "
                        + "placeholder script? link it with " + nativeCheckLinkTool() + ")");
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException(executable + " does not exist: build it first (./mvnw package -Dnative)", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the native executable " + executable + ": " + e, e);
        }
        return executable;
    }

    /** The system property naming the native-image check's directory (docs/development.md); unset: none here. */
    public static final String NATIVE_CHECK_PROPERTY = "roar.native-check";

    /** The native check's link tool, or why there is none (a clone without the check cannot link). */
    static String nativeCheckLinkTool() {
        String dir = System.getProperty(NATIVE_CHECK_PROPERTY, "");
        return dir.isEmpty() ? "the native check's link/link.sh; -D" + NATIVE_CHECK_PROPERTY + " names none here"
                : Path.of(dir, "link", "link.sh").toString();
    }

    public static Path jar() {
        return Path.of(System.getProperty("roar.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
    }

    public RoarProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public RoarProcess without(String name) {
        env.remove(name);
        return this;
    }

    /** A JVM option put before {@code -jar}, after the launcher's ({@link JvmStartCache}). */
    public RoarProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Runs another packaged build (e.g. one a packager built with other defaults) instead of {@link #jar()}. */
    public RoarProcess jar(Path otherJar) {
        this.jar = otherJar.toAbsolutePath();
        return this;
    }

    /** Start through this launcher script (e.g. {@link #launcherScript()}) instead of {@code java -jar}. */
    public RoarProcess launcher(Path script) {
        this.launcher = script;
        return this;
    }

    /** {@code target/roar}, the launcher {@code ./mvnw package} installs beside {@code quarkus-app/}. */
    public static Path launcherScript() {
        return jar().getParent().resolveSibling("roar");
    }

    public RoarProcess cwd(Path dir) {
        this.cwd = dir;
        return this;
    }

    public Map<String, String> environment() {
        return env;
    }

    public Path root() { return root; }
    public Path cache() { return root.resolve("cache/roar/telemetry"); }
    public Path queue() { return cache().resolve("queue"); }
    public Path stats() { return cache().resolve("stats.json"); }
    public Path globalConfig() { return root.resolve("config/roar/global.toml"); }
    public Path workDir() { return cwd; }

    public List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        if (launcher != null) {
            command.add(launcher.toString());
            command.addAll(List.of(args));
            return command;
        }
        if (isNative()) {
            command.add(nativeExecutable().toString());
            command.addAll(List.of(args));
            return command;
        }
        command.add(javaBinary());
        command.addAll(JvmStartCache.options(jar));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    public ProcessBuilder builder(String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(args)).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        ProcessBuilder builder = builder(args)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("roar " + String.join(" ", args) + " did not finish in 120 s");
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), wall);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return result;
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it held. */
    public static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}

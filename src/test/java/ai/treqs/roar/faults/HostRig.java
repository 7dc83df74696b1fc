package ai.treqs.roar.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ai.treqs.roar.testing.RoarProcess;

/**
 * What the host tests share (docs/reliability.md#odd-places-the-host): the source launcher {@code src/main/launcher/roar} installed beside
 * the packaged {@code quarkus-app/} (so it is tested whether or not {@code package} installed
 * {@code target/roar}), the JDKs of this machine, and a shell that runs roar with exactly the
 * environment and descriptors a test gives it. Non-ASCII names are made by the shell from octal escapes,
 * so this test JVM never needs a UTF-8 locale itself (CI may have none).
 */
final class HostRig {
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private HostRig() {}

    /** {@code dir/roar}, the source launcher, with {@code dir/quarkus-app} pointing at the packaged application. */
    static Path launcher(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("roar");
        Files.copy(Path.of("src/main/launcher/roar"), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("quarkus-app"), RoarProcess.jar().getParent());
        return script;
    }

    /**
     * What the host cases start: the launcher of {@link #launcher}, or natively ({@code -Dnative-its}) the native
     * executable itself, which has no launcher in front of it and meets the odd places alone.
     */
    static Path launcherOrExecutable(Path dir) throws IOException {
        return RoarProcess.isNative() ? RoarProcess.nativeExecutable() : launcher(dir);
    }

    /** Each JDK of {@link #jdks}; natively the native executable alone (it is its own runtime). */
    static List<Path> runtimes() {
        return RoarProcess.isNative() ? List.of(RoarProcess.nativeExecutable()) : jdks();
    }

    /** The JDK running the tests (17 here) and a JDK 25 where one is installed. */
    static List<Path> jdks() {
        List<Path> jdks = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        if (Files.isExecutable(JDK25.resolve("bin/java")) && !jdks.contains(JDK25)) {
            jdks.add(JDK25);
        }
        return jdks;
    }

    static String name(Path jdk) {
        return jdk.getFileName().toString();
    }

    /**
     * Runs {@code script} with bash under {@code env -i}: only the variables in {@code env} (NAME=value),
     * no LANG or LC_*, stdin from /dev/null unless the script changes it; {@code args} are $1, $2, ...
     */
    static RoarProcess.Result bash(String script, List<String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("env", "-i"));
        command.addAll(env);
        command.addAll(List.of("/bin/bash", "-c", script, "host-test"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        return Faults.finish(builder, script);
    }

    /** The stdout of a finished process as UTF-8, for names the shell made. */
    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static boolean waitFor(Process process, int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }
}

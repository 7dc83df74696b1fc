package ai.treqs.roar.telemetry.upload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rebuilds the command line that starts the uploader as a new instance of the running program
 * (docs/telemetry.md#upload-mechanics): the same native executable, or the same java binary with an allowlist of JVM options
 * and the absolute jar. Pure: the running process is described by a {@link Running}.
 */
public final class RelaunchCommand {
    public static final String UPLOAD_SUBCOMMAND = "__upload";

    /**
     * Heap, GC, JIT level, the AOT/CDS cache <em>use</em> flags (and its checksum verification) and where crash
     * files go; never agents, debuggers or training.
     */
    private static final List<String> ALLOWED_PREFIXES = List.of("-Xmx", "-Xms", "-Xss", "-XX:MaxRAM",
            "-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=", "-XX:+TieredCompilation",
            "-XX:AOTCache=", "-XX:SharedArchiveFile=", "-Xshare:", "-XX:-UsePerfData", "-XX:+UseCompressedOops",
            "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:all=error:stderr", "-XX:CICompilerCount=", "-Xverify:",
            "-XX:ErrorFile=", "-XX:ReplayDataFile=", "-XX:+VerifySharedSpaces", "-XX:-VerifySharedSpaces");

    /**
     * Always first: the uploader inherits the working directory (a repository) and must neither read the JVM's
     * option files there ({@code .hotspotrc}, {@code .hotspot_compiler}) nor write crash files into it, nor start
     * an attach listener (a socket at a fixed name in /tmp) because a {@code .attach_pid<pid>} file there and a
     * SIGQUIT ask it to. The launcher's own crash-file places (its private directory), kept by the allowlist,
     * come later and win.
     */
    static final List<String> WORKING_DIRECTORY_GUARD = List.of("-XX:Flags=/dev/null", "-XX:CompileCommandFile=/dev/null",
            "-XX:ErrorFile=/dev/null", "-XX:ReplayDataFile=/dev/null", "-XX:+DisableAttachMechanism");

    /** Launcher options whose value is the next argument. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--enable-native-access", "--add-reads",
            "--add-exports", "--add-opens", "--limit-modules", "--patch-module", "--source");

    private RelaunchCommand() {}

    /** How the current process was started. {@code arguments} excludes argv[0]. */
    public record Running(boolean nativeImage, String executable, List<String> arguments, Path workingDirectory) {}

    public static Optional<List<String>> of(Running running, Optional<String> setsid) {
        List<String> command = new ArrayList<>();
        setsid.ifPresent(command::add);
        command.add(running.executable());
        if (!running.nativeImage()) {
            int jar = launcherJarFlag(running.arguments());
            if (jar < 0) {
                return Optional.empty(); // started from a class path (tests, IDE): nothing to relaunch
            }
            command.addAll(WORKING_DIRECTORY_GUARD);
            for (String option : running.arguments().subList(0, jar)) {
                if (isAllowedJvmOption(option)) {
                    command.add(option);
                }
            }
            command.add("-jar");
            command.add(running.workingDirectory().resolve(running.arguments().get(jar + 1)).toAbsolutePath().normalize().toString());
        }
        command.add(UPLOAD_SUBCOMMAND);
        return Optional.of(List.copyOf(command));
    }

    /**
     * The index of the launcher's own {@code -jar}, or -1. Only options before the main class count: a
     * {@code -jar} after it belongs to the command the user asked roar to run.
     */
    static int launcherJarFlag(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.equals("-jar")) {
                return i + 1 < arguments.size() ? i : -1;
            }
            if (!arg.startsWith("-") && !arg.startsWith("@") || arg.equals("-m") || arg.equals("--module") || arg.startsWith("--module=")) {
                return -1; // a main class or module: what follows are its arguments
            }
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            }
        }
        return -1;
    }

    public static boolean isAllowedJvmOption(String option) {
        if (option.equals("-Xshare:dump") || option.startsWith("-XX:AOTCacheOutput") || option.startsWith("-XX:AOTConfiguration")
                || option.startsWith("-XX:AOTMode=record") || option.startsWith("-XX:AOTMode=create")) {
            return false;
        }
        for (String prefix : ALLOWED_PREFIXES) {
            if (option.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

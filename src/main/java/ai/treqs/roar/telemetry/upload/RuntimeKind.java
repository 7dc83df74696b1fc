package ai.treqs.roar.telemetry.upload;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.graalvm.nativeimage.ImageInfo;

/**
 * Describes the running process for {@link RelaunchCommand}; native-ness comes from GraalVM's ImageInfo.
 * The command line is never read back from the operating system ({@code ProcessHandle.Info.arguments()}
 * comes back empty past about 4 KB of arguments, so a long {@code roar run} started no uploader): the
 * JVM's options come from the kernel's complete copy of the command line, the jar from the class path.
 */
public final class RuntimeKind {

    private RuntimeKind() {}

    public static boolean isNativeImage() {
        return ImageInfo.inImageRuntimeCode();
    }

    public static RelaunchCommand.Running current(Path workingDirectory) {
        boolean nativeImage = isNativeImage();
        // ProcessHandle.Info costs tens of milliseconds: asked only where there is no java.home
        Optional<String> command = nativeImage ? ProcessHandle.current().info().command() : Optional.empty();
        return describe(nativeImage, command, System.getProperty("java.home"), RuntimeKind::jvmOptionsOfThisProcess,
                System.getProperty("java.class.path"), System.getProperty("sun.java.command"), workingDirectory);
    }

    /**
     * The options between {@code java} and {@code -jar}, from the kernel's whole copy of the command line
     * ({@code /proc/self/cmdline} has no size limit, unlike {@code ProcessHandle.Info}; the JVM's own
     * {@code RuntimeMXBean} costs 150+ ms of class loading on every command that starts an uploader).
     * Empty where it cannot be read (macOS): the uploader then starts with the JVM's defaults.
     */
    static List<String> jvmOptionsOfThisProcess() {
        try {
            return optionsBeforeJar(Files.readAllBytes(Path.of("/proc/self/cmdline")));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Pure: the arguments after argv[0] and before {@code -jar} of a NUL-separated command line. */
    static List<String> optionsBeforeJar(byte[] cmdline) {
        List<String> options = new ArrayList<>();
        int start = 0;
        boolean first = true;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length || cmdline[i] == 0) {
                if (i == start && i == cmdline.length) {
                    break;
                }
                String arg = new String(cmdline, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                if (first) {
                    first = false;
                    continue;
                }
                if (arg.equals("-jar")) {
                    return options;
                }
                options.add(arg);
            }
        }
        return List.of(); // no -jar: not a launch that can be relaunched this way
    }

    /**
     * Pure: how a process started from these facts is relaunched. {@code javaHome} is null in a native
     * executable; {@code javaCommand} is the JVM's {@code sun.java.command} (the jar or main class, then
     * the program's arguments).
     */
    static RelaunchCommand.Running describe(boolean nativeImage, Optional<String> command, String javaHome,
                                            Supplier<List<String>> jvmOptions, String classPath, String javaCommand,
                                            Path workingDirectory) {
        if (nativeImage) {
            // /proc/self/exe runs this very executable when the OS did not say where it lives
            return new RelaunchCommand.Running(true, command.orElse("/proc/self/exe"), List.of(), workingDirectory);
        }
        String executable = javaHome != null ? Path.of(javaHome, "bin", "java").toString() : command.orElse("java");
        List<String> arguments = new ArrayList<>();
        launcherJar(classPath, javaCommand).ifPresent(jar -> {
            arguments.addAll(jvmOptions.get());
            arguments.add("-jar");
            arguments.add(jar);
        });
        return new RelaunchCommand.Running(false, executable, List.copyOf(arguments), workingDirectory);
    }

    /** The jar given to {@code java -jar}: then the class path is that jar alone and the command starts with it. */
    static Optional<String> launcherJar(String classPath, String javaCommand) {
        if (classPath == null || classPath.isEmpty() || javaCommand == null || classPath.contains(File.pathSeparator)
                || !(javaCommand.equals(classPath) || javaCommand.startsWith(classPath + " "))) {
            return Optional.empty(); // a main class on a class path (tests, an IDE): nothing to relaunch
        }
        return Optional.of(classPath);
    }
}

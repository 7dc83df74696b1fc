package ai.treqs.roar.telemetry.upload;

import java.io.File;
import java.lang.management.ManagementFactory;
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
 * JVM's options come from the JVM itself, the jar from the launcher's class path.
 */
public final class RuntimeKind {

    private RuntimeKind() {}

    public static boolean isNativeImage() {
        return ImageInfo.inImageRuntimeCode();
    }

    public static RelaunchCommand.Running current(Path workingDirectory) {
        return describe(isNativeImage(), ProcessHandle.current().info().command(), System.getProperty("java.home"),
                () -> ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), System.getProperty("sun.java.command"), workingDirectory);
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

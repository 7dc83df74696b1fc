package ai.treqs.roar.telemetry.upload;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.graalvm.nativeimage.ImageInfo;

/** Describes the running process for {@link RelaunchCommand}; native-ness comes from GraalVM's ImageInfo. */
public final class RuntimeKind {

    private RuntimeKind() {}

    public static boolean isNativeImage() {
        return ImageInfo.inImageRuntimeCode();
    }

    public static RelaunchCommand.Running current(Path workingDirectory) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        return describe(info.command(), info.arguments(), isNativeImage(), workingDirectory);
    }

    // The fallback is computed only when the OS does not name the command: a native image has no java.home.
    static RelaunchCommand.Running describe(Optional<String> command, Optional<String[]> arguments,
            boolean nativeImage, Path workingDirectory) {
        String executable = command.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new RelaunchCommand.Running(nativeImage, executable, arguments.map(List::of).orElse(List.of()),
                workingDirectory);
    }
}

package ai.treqs.roar.telemetry.upload;

import java.nio.file.Path;
import java.util.List;

import org.graalvm.nativeimage.ImageInfo;

/** Describes the running process for {@link RelaunchCommand}; native-ness comes from GraalVM's ImageInfo. */
public final class RuntimeKind {

    private RuntimeKind() {}

    public static boolean isNativeImage() {
        return ImageInfo.inImageRuntimeCode();
    }

    public static RelaunchCommand.Running current(Path workingDirectory) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String executable = info.command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> arguments = info.arguments().map(List::of).orElse(List.of());
        return new RelaunchCommand.Running(isNativeImage(), executable, arguments, workingDirectory);
    }
}

package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuntimeKindTest {
    private static final String IMAGE_CODE = "org.graalvm.nativeimage.imagecode";

    @AfterEach
    void forgetImageCode() {
        System.clearProperty(IMAGE_CODE);
    }

    @Test
    void onTheJvmItIsNotANativeImage() {
        assertFalse(RuntimeKind.isNativeImage());
    }

    @Test
    void graalvmImageInfoDecidesWhenTheImageCodePropertySaysRuntime() {
        // a native executable runs with this property set by the image; ImageInfo reads it, we never guess from paths
        System.setProperty(IMAGE_CODE, "runtime");
        assertTrue(RuntimeKind.isNativeImage());
        System.setProperty(IMAGE_CODE, "buildtime");
        assertFalse(RuntimeKind.isNativeImage());
    }

    @Test
    void theRunningJvmIsDescribedByItsJavaBinaryAndArguments() {
        RelaunchCommand.Running running = RuntimeKind.current(Path.of("/somewhere"));
        assertFalse(running.nativeImage());
        assertTrue(Path.of(running.executable()).getFileName().toString().startsWith("java"), running.executable());
        assertEquals(Path.of("/somewhere"), running.workingDirectory());
    }

    @Test
    void aNativeExecutableIsRelaunchedByItsOwnPathAndNothingElse() {
        RelaunchCommand.Running running = new RelaunchCommand.Running(true, "/opt/roar/bin/roar",
                List.of("run", "--", "java", "-jar", "x.jar"), Path.of("/work"));
        assertEquals(Optional.of(List.of("/opt/roar/bin/roar", RelaunchCommand.UPLOAD_SUBCOMMAND)),
                RelaunchCommand.of(running, Optional.empty()));
    }

    @Test
    void withoutJavaHomeAsInANativeImageTheRunningCommandIsStillDescribed() {
        // a native executable has no java.home: the fallback must not be evaluated when the OS names the command
        String javaHome = System.getProperty("java.home");
        System.clearProperty("java.home");
        try {
            RelaunchCommand.Running running = RuntimeKind.current(Path.of("/work"));
            assertEquals(ProcessHandle.current().info().command().orElseThrow(), running.executable());
            RelaunchCommand.Running image = RuntimeKind.describe(Optional.of("/opt/roar/bin/roar"),
                    Optional.of(new String[] {"run", "--", "true"}), true, Path.of("/work"));
            assertEquals(Optional.of(List.of("/opt/roar/bin/roar", RelaunchCommand.UPLOAD_SUBCOMMAND)),
                    RelaunchCommand.of(image, Optional.empty()));
        } finally {
            System.setProperty("java.home", javaHome);
        }
    }
}

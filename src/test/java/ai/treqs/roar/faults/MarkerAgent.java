package ai.treqs.roar.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A Java agent the hostile-environment tests put in {@code JAVA_TOOL_OPTIONS} and friends: every JVM it
 * runs in appends its command line to the file named by the agent argument, so a test sees which
 * processes ran it. Packed into a jar by {@link HostileStateIT}.
 */
public final class MarkerAgent {
    private MarkerAgent() {}

    public static void premain(String marker) throws IOException {
        Files.writeString(Path.of(marker), System.getProperty("sun.java.command", "?") + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}

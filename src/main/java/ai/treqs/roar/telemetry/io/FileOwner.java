package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who owns a file: asked before roar reads a project file or edits the file a link points to (docs/security.md). */
public final class FileOwner {

    private FileOwner() {}

    /** Whether {@code file} (following links) belongs to the user roar runs as. */
    public static boolean isCurrentUser(Path file) {
        try {
            Object owner = Files.getAttribute(file, "unix:uid");
            Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return owner.equals(me);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            try {
                return Files.getOwner(file).getName().equals(System.getProperty("user.name"));
            } catch (IOException | RuntimeException ignored) {
                return false;
            }
        }
    }
}

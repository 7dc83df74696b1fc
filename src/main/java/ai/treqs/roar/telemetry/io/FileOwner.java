package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Who owns a file: asked before roar reads a project file or edits the file a link points to (docs/security.md). */
public final class FileOwner {

    private FileOwner() {}

    /** Whether {@code file} (following links) belongs to the user roar runs as. */
    public static boolean isCurrentUser(Path file) {
        try {
            Object owner = Files.getAttribute(file, "unix:uid");
            return currentUid().map(owner::equals).orElseThrow(() -> new UnsupportedOperationException("no /proc"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            try {
                return Files.getOwner(file).getName().equals(System.getProperty("user.name"));
            } catch (IOException | RuntimeException ignored) {
                return false;
            }
        }
    }

    /** The uid roar runs as, from the kernel's /proc (Java has no call for it); empty where there is none to ask. */
    public static Optional<Integer> currentUid() {
        try {
            return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}

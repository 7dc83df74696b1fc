package ai.treqs.roar.telemetry.control;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import ai.treqs.roar.telemetry.config.PathCheck;

/** Whether telemetry could record here, asked without creating anything ({@code --status} writes nothing, docs/telemetry.md#where-state-lives). */
final class RecordCheck {

    private RecordCheck() {}

    /** Why {@code telemetryDir} (or the nearest existing directory above it) cannot be written, if it cannot. */
    static Optional<String> problem(Path telemetryDir) {
        for (Path p = telemetryDir; p != null; p = p.getParent()) {
            PathCheck.Answer answer = PathCheck.check(p);
            if (answer instanceof PathCheck.Missing) {
                continue; // it would be created: what matters is the directory it would be created in
            }
            if (answer instanceof PathCheck.Unchecked unchecked) {
                return Optional.of(p + ": " + unchecked.why());
            }
            if (!((PathCheck.Present) answer).attributes().isDirectory()) {
                return Optional.of(p + " is not a directory");
            }
            if (!Files.isWritable(p) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(p + " is not writable");
            }
            return Optional.empty();
        }
        return Optional.empty();
    }
}

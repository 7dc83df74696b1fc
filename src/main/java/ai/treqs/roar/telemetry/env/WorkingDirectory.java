package ai.treqs.roar.telemetry.env;

import java.nio.file.Path;

/** Where the user ran the command: the start of the project-file search and of {@code roar run}. */
public interface WorkingDirectory {
    Path path();
}

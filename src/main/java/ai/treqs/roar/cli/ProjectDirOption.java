package ai.treqs.roar.cli;

import java.nio.file.Path;

import ai.treqs.roar.telemetry.env.WorkingDirectory;
import picocli.CommandLine.Option;

/** {@code --path DIR} of {@code roar init} and {@code roar reset}: a picocli mixin. */
public class ProjectDirOption {

    @Option(names = "--path", paramLabel = "DIR", description = "Project directory (default: the working directory).")
    Path path;

    /** The project directory: {@code --path} against the working directory, else the working directory. */
    Path resolve(WorkingDirectory cwd) {
        return path == null ? cwd.path() : cwd.path().resolve(path);
    }
}

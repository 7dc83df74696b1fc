package ai.treqs.roar.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import ai.treqs.roar.host.ProjectLocation;
import ai.treqs.roar.telemetry.env.CommandLineText;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --path DIR} of {@code roar init} and {@code roar reset}: a picocli mixin. */
public class ProjectDirOption {

    @Option(names = "--path", paramLabel = "DIR", description = "Project directory (default: the working directory).")
    String path;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    /**
     * The project directory: {@code --path} against the working directory, else the working directory (opened
     * through the kernel, never by its name: docs/security.md#a-project-directory-another-user-can-write). A {@code DIR}
     * whose bytes Java could not hold as text (a Latin-1 {@code lat\xe9} became {@code lat\uFFFD}, another directory)
     * is a usage error, never that other directory (docs/host-commands.md#a-path-option-whose-name-is-not-text).
     */
    ProjectLocation resolve(WorkingDirectory cwd) {
        if (path == null) {
            return ProjectLocation.workingDirectory(cwd); // reached through the kernel, shown as its name
        }
        Optional<String> typed = CommandLineText.asTyped(path);
        try {
            if (typed.isPresent()) {
                return ProjectLocation.named(cwd.path().resolve(Path.of(typed.get())));
            }
        } catch (InvalidPathException e) {
            // a name this JVM's charset cannot encode (the POSIX locale without the launcher): the same refusal
        }
        throw new CommandLine.ParameterException(mixee.commandLine(), "--path: the name's bytes are not valid UTF-8, so roar"
                + " cannot name that directory; cd into it and leave out --path");
    }
}

package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jakarta.enterprise.context.ApplicationScoped;

/** {@code roar init}: makes {@code DIR/.roar/} with a commented config.toml; running it again is harmless. */
@ApplicationScoped
public class ProjectInit {
    static final String CONFIG_TEMPLATE = """
            # roar project configuration.
            #
            # Product telemetry: a project can only restrict it, never turn it on or redirect it.
            # To opt every command run inside this project out of telemetry, uncomment:
            # [telemetry]
            # enabled = false
            #
            # To keep local counters but forbid uploads from this project, uncomment instead:
            # [telemetry]
            # endpoint = ""
            """;

    static final String PRIVACY_NOTE = """
            Telemetry payloads never include commands, paths, git remotes, artifact hashes, stdout/stderr,
            or API keys/secrets. Turn telemetry off with `roar telemetry --disable` or DO_NOT_TRACK=1.
            """;

    public String init(Path dir, boolean gitignore) throws IOException {
        StringBuilder out = new StringBuilder();
        Path roarDir = dir.resolve(".roar");
        Files.createDirectories(roarDir);
        Path config = roarDir.resolve("config.toml");
        if (Files.exists(config)) {
            out.append("Kept existing ").append(config).append('\n');
        } else {
            Files.writeString(config, CONFIG_TEMPLATE, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            out.append("Created ").append(config).append('\n');
        }
        if (gitignore && addToGitignore(dir.resolve(".gitignore"))) {
            out.append("Added .roar/ to ").append(dir.resolve(".gitignore")).append('\n');
        }
        return out.append(PRIVACY_NOTE).toString();
    }

    private static boolean addToGitignore(Path gitignore) throws IOException {
        String current = Files.exists(gitignore) ? Files.readString(gitignore, StandardCharsets.UTF_8) : "";
        for (String line : current.split("\\R")) {
            String entry = line.trim();
            if (entry.equals(".roar/") || entry.equals(".roar") || entry.equals("/.roar/") || entry.equals("/.roar")) {
                return false;
            }
        }
        String prefix = current.isEmpty() || current.endsWith("\n") ? "" : "\n";
        Files.writeString(gitignore, prefix + ".roar/\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return true;
    }
}

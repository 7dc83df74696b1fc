package ai.treqs.roar.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Run by {@code ./mvnw package} (src/main/dist/generate-docs.sh): the distribution's bash and zsh completion
 * and man page sources, generated from the command tree as roar runs it ({@link CommandLineSetup#describe}:
 * the exit-code table is in {@code roar.1}). It lives with the tests because picocli-codegen is a test-scope
 * dependency. Usage: {@code DistributionDocs DIR}, writing {@code DIR/completion} and {@code DIR/man-adoc}.
 */
public final class DistributionDocs {
    /** zsh reuses the bash script through bashcompinit, which needs compinit: the user's ~/.zshrc runs it, never this file. */
    static final String ZSH_HEADER = """
            # zsh completion for roar: source this file from ~/.zshrc after compinit has run, e.g.
            #   autoload -U compinit && compinit
            #   source /path/to/_roar
            # It is the bash completion, run through zsh's bashcompinit.
            if (( ! $+functions[compdef] )); then
              print -u2 "roar completion: run 'autoload -U compinit && compinit' in ~/.zshrc before sourcing this file"
              return 1
            fi
            autoload -U +X bashcompinit && bashcompinit
            """;

    private DistributionDocs() {}

    /**
     * A page's headings as man pages write them ({@code == Exit codes}, not picocli's {@code ==  Exit codes:},
     * taken from the help text's heading), paragraphs that reflow to the reader's width (the help text's
     * are broken for 80 columns, which man indents), and the verbs as plain names: they have no pages of
     * their own to link to.
     */
    static String tidy(String adoc) {
        return adoc.replace("[%hardbreaks]\n", "").replaceAll("(?m)^==\\s+(.*?):?\\s*$", "== $1")
                .replaceAll("xref:roar-telemetry-[a-z]+\\.adoc\\[(\\*[a-z]+\\*)\\]", "$1");
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path completion = Files.createDirectories(out.resolve("completion"));
        Path manSources = Files.createDirectories(out.resolve("man-adoc"));
        CommandLine cli = CommandLineSetup.describe(new CommandLine(RoarCommand.class));

        String bash = RunCompletion.patch(AutoComplete.bash("roar", cli));
        Files.writeString(completion.resolve("roar"), bash, StandardCharsets.UTF_8);
        Files.writeString(completion.resolve("_roar"), ZSH_HEADER + bash, StandardCharsets.UTF_8);

        // the telemetry verbs get no pages of their own: roar-telemetry(1) lists them
        CommandLine telemetry = cli.getSubcommands().get("telemetry");
        int status = ManPageGenerator.generateManPage(manSources.toFile(), null, new boolean[0], true, cli.getCommandSpec());
        for (String verb : telemetry.getSubcommands().keySet()) {
            Files.deleteIfExists(manSources.resolve("roar-telemetry-" + verb + ".adoc"));
        }
        if (status != 0) {
            throw new IllegalStateException("the man page generator failed: " + status);
        }
        File[] pages = manSources.toFile().listFiles();
        for (File page : pages == null ? new File[0] : pages) {
            Files.writeString(page.toPath(), tidy(Files.readString(page.toPath(), StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
        System.out.println("[roar-dist] completion scripts and " + (pages == null ? 0 : pages.length) + " man page sources in " + out);
    }
}

package ai.treqs.roar.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.testing.NativeSkips;

/**
 * Every man page of the distribution renders cleanly with {@code man -l}: no empty section, no heading
 * that is a generator's placeholder ({@code FOOTER}), no AsciiDoc left over; {@code roar(1)} prints the
 * exit-code table of {@link ExitCode}.
 */
@NativeSkips.JvmOnly("the man pages are files of the distribution; no roar process runs")
class ManPagesIT {
    /** What AsciiDoc or picocli markup looks like when it leaks into the rendered page. */
    private static final Pattern LEFTOVER = Pattern.compile("xref:|\\[%hardbreaks]|^//|::|\\*[-a-zA-Z]|(?<![A-Za-z0-9])_[A-Z]+_(?![A-Za-z0-9])|\\{[a-z-]+}|%n",
            Pattern.MULTILINE);
    private static final Pattern HEADING = Pattern.compile("[A-Z][A-Z ]*");

    @TempDir Path root;
    Path man1;

    @BeforeEach
    void unpack() throws Exception {
        assumeTrue(DistributionIT.sh(root, "command -v man").exitCode() == 0, "man is not installed (CI installs man-db)");
        Path prefix = Files.createDirectories(root.resolve("opt"));
        assertEquals(0, DistributionIT.sh(prefix, "tar xzf '" + DistributionIT.TARBALL + "'").exitCode(), "unpacks");
        man1 = prefix.resolve("roar-" + DistributionIT.VERSION + "/share/man/man1");
    }

    @Test
    void everyPageRendersWithoutEmptySectionsPlaceholdersOrLeftoverMarkup() throws Exception {
        List<Path> pages;
        try (Stream<Path> files = Files.list(man1)) {
            pages = files.sorted().toList();
        }
        assertEquals(List.of("roar-help.1", "roar-init.1", "roar-reset.1", "roar-run.1", "roar-telemetry.1", "roar.1"),
                pages.stream().map(p -> p.getFileName().toString()).toList());
        for (Path page : pages) {
            String text = render(page);
            List<String> problems = new ArrayList<>();
            List<String> lines = text.lines().toList();
            String open = null;
            boolean body = false;
            for (String line : lines.subList(1, lines.size() - 1)) { // the header and footer lines of man itself
                if (HEADING.matcher(line).matches()) {
                    if (open != null && !body) {
                        problems.add("empty section " + open);
                    }
                    open = line;
                    body = false;
                    if (line.equals("FOOTER")) {
                        problems.add("a placeholder heading: FOOTER");
                    }
                } else if (!line.isBlank()) {
                    body = true;
                    if (LEFTOVER.matcher(line).find()) {
                        problems.add("leftover markup: " + line);
                    }
                }
            }
            if (open != null && !body) {
                problems.add("empty section " + open);
            }
            assertEquals(List.of(), problems, page + ":\n" + text);
        }
    }

    @Test
    void roarOnePrintsTheExitCodeTable() throws Exception {
        String text = render(man1.resolve("roar.1"));

        assertTrue(text.contains("EXIT CODES"), text);
        for (ExitCode exit : ExitCode.values()) {
            assertTrue(Pattern.compile("(?m)^\\s+" + exit.label() + "\\n\\s+" + Pattern.quote(exit.description()) + "$")
                    .matcher(text).find(), exit + " in\n" + text);
        }
        String telemetry = render(man1.resolve("roar-telemetry.1"));
        assertTrue(telemetry.contains("COMMANDS") && telemetry.contains("status") && telemetry.contains("What is not collected"),
                telemetry);
    }

    private String render(Path page) throws Exception {
        DistributionIT.Run man = DistributionIT.sh(root, "MANPAGER=cat MANWIDTH=80 man -l '" + page + "' 2>&1");
        assertEquals(0, man.exitCode(), man.out());
        return man.out().replace('\u2019', '\''); // asciidoctor's typographic apostrophe
    }
}

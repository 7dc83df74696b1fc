package ai.treqs.roar.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.treqs.roar.ExitCode;

/** docs/configuration.md#exit-codes prints the table {@code roar --help} and {@code man roar} print: {@link ExitCode}. */
class ExitCodeTableTest {

    @Test
    void theDocsTableIsTheEnum() throws IOException {
        String page = Files.readString(Path.of("docs/configuration.md"));
        String section = page.substring(page.indexOf("## Exit codes"));
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : section.split("\n")) {
            if (line.startsWith("| code | meaning |")) {
                inTable = true;
            } else if (inTable && line.startsWith("|") && !line.startsWith("|---")) {
                rows.add(line);
            } else if (inTable && !line.startsWith("|")) {
                break;
            }
        }

        assertEquals(Arrays.stream(ExitCode.values()).map(e -> "| " + e.label() + " | " + e.description() + " |").toList(), rows);
    }
}

package ai.treqs.roar.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import ai.treqs.roar.testing.RoarProcess;

/**
 * The figures of the fault suite: each IT appends its rows to {@code target/reliability/results.tsv}
 * (fault, trials, outcome, events lost, bytes leaked); {@link ReliabilityTable} prints them as the
 * table of {@code docs/reliability.md}.
 */
final class Results {
    static final Path FILE = Path.of("target", "reliability", "results.tsv");

    private Results() {}

    static synchronized void row(String fault, Object trials, String outcome, Object eventsLost, Object bytesLeaked) {
        // rows of a native run (./mvnw verify -Dnative-its) say so: they append to the same file as the JVM's
        String line = String.join("\t", clean((RoarProcess.isNative() ? "native executable: " : "") + fault), clean(String.valueOf(trials)), clean(outcome),
                clean(String.valueOf(eventsLost)), clean(String.valueOf(bytesLeaked))) + "\n";
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print("[reliability] " + line.replace('\t', '|'));
    }

    private static String clean(String cell) {
        return cell.replace('\t', ' ').replace('\n', ' ').replace('|', '/');
    }
}

package ai.treqs.roar.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints {@code target/reliability/results.tsv} (written by the fault suite's ITs) as the markdown
 * table of {@code docs/reliability.md}. JDK only, no build needed:
 * {@code java src/test/java/ai/treqs/roar/faults/ReliabilityTable.java [results.tsv]}.
 * A fault measured more than once (several runs appended) shows its latest row.
 */
public final class ReliabilityTable {

    private ReliabilityTable() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "target/reliability/results.tsv");
        if (!Files.exists(file)) {
            System.err.println(file + " not found: run ./mvnw -B verify first");
            System.exit(1);
        }
        Map<String, String[]> latest = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] cells = line.split("\t", -1);
            if (cells.length == 5) {
                latest.remove(cells[0]); // keep first-seen order of the latest run
                latest.put(cells[0], cells);
            }
        }
        List<String[]> rows = new java.util.ArrayList<>(latest.values());
        rows.sort(java.util.Comparator.comparingInt(r -> area(r[0]))); // stable: the run's order within an area
        System.out.println(table(rows));
    }

    /** The order of docs/reliability.md#the-figures: concurrency, crashes, corrupt state, unusable storage, network, CLI. */
    static int area(String fault) {
        List<String> order = List.of("concurrency", "crash", "corrupt state", "unusable storage", "network", "CLI");
        int colon = fault.indexOf(':');
        int at = colon < 0 ? -1 : order.indexOf(fault.substring(0, colon));
        return at < 0 ? order.size() : at;
    }

    static String table(List<String[]> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| fault | trials | outcome | events lost | bytes leaked |\n");
        sb.append("|---|---:|---|---:|---:|\n");
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return sb.toString().stripTrailing();
    }
}

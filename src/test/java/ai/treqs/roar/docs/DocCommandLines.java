package ai.treqs.roar.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of a Markdown page: every line of its {@code ```bash} blocks, a line ending in
 * {@code \} joined with the next, blank and comment-only lines left out. Pure text; {@link DocCommandsIT}
 * runs them.
 */
final class DocCommandLines {

    /** One command line and the page line it starts on (1-based). */
    record Line(int number, String text) {}

    private DocCommandLines() {}

    static List<Line> of(String markdown) {
        List<Line> lines = new ArrayList<>();
        boolean inBash = false;
        StringBuilder pending = null;
        int start = 0;
        String[] page = markdown.split("\n", -1);
        for (int i = 0; i < page.length; i++) {
            String line = page[i];
            if (line.startsWith("```")) {
                inBash = !inBash && line.strip().equals("```bash");
                continue;
            }
            if (!inBash) {
                continue;
            }
            if (pending == null) {
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                pending = new StringBuilder();
                start = i + 1;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            lines.add(new Line(start, pending.append(line).toString().strip()));
            pending = null;
        }
        return lines;
    }
}

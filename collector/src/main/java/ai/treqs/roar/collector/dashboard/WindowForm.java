package ai.treqs.roar.collector.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import ai.treqs.roar.collector.summary.Window;

/**
 * The window form's query ({@code days} 7, 30 or 90 ending today; or {@code from}/{@code to}; and an optional
 * {@code version}) read into a {@link Window}, or the reason it is refused.
 */
public final class WindowForm {
    public static final List<Integer> DAYS = List.of(7, 30, 90);
    static final int DEFAULT_DAYS = 30;
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,32}");
    private static final LocalDate FIRST = LocalDate.of(1, 1, 1);
    private static final LocalDate LAST = LocalDate.of(9999, 12, 31);

    /** What the form's query says. */
    public sealed interface Outcome permits Accepted, Refused {}

    /** A window, and the query that chose it (for the links that keep it: other views, the CSVs). */
    public record Accepted(Window window, Optional<Integer> days, String query) implements Outcome {
        public boolean custom() {
            return days.isEmpty();
        }
    }

    public record Refused(String reason) implements Outcome {}

    private WindowForm() {}

    public static Outcome read(String daysText, String fromText, String toText, String versionText, LocalDate today) {
        Optional<String> version = Optional.ofNullable(versionText).filter(v -> !v.isEmpty());
        if (version.isPresent() && !VERSION.matcher(version.get()).matches()) {
            return new Refused("'version' is a roar version such as 0.3.0.");
        }
        boolean custom = nonEmpty(fromText) || nonEmpty(toText);
        LocalDate from;
        LocalDate to;
        Optional<Integer> days = Optional.empty();
        if (custom) {
            try {
                to = nonEmpty(toText) ? LocalDate.parse(toText) : today;
                from = nonEmpty(fromText) ? LocalDate.parse(fromText) : to.minusDays(DEFAULT_DAYS - 1);
            } catch (DateTimeParseException e) {
                return new Refused("'from' and 'to' are UTC dates, YYYY-MM-DD.");
            }
            if (from.isBefore(FIRST) || to.isAfter(LAST) || to.isBefore(FIRST) || from.isAfter(LAST)) {
                return new Refused("Dates are between 0001-01-01 and 9999-12-31.");
            }
            if (from.isAfter(to)) {
                return new Refused("'from' is after 'to'.");
            }
        } else {
            int n = DEFAULT_DAYS;
            if (nonEmpty(daysText)) {
                try {
                    n = Integer.parseInt(daysText);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (!DAYS.contains(n)) {
                    return new Refused("'days' is 7, 30 or 90.");
                }
            }
            days = Optional.of(n);
            to = today;
            from = today.minusDays(n - 1L);
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (custom) {
            query.put("from", from.toString());
            query.put("to", to.toString());
        } else {
            query.put("days", days.get().toString());
        }
        version.ifPresent(v -> query.put("version", v));
        String text = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new Accepted(new Window(from, to, version), days, text);
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}

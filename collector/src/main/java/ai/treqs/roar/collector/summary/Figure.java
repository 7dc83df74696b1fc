package ai.treqs.roar.collector.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One number of the summary and the installs it rests on. Small groups are not shown: a figure resting on
 * 1..k-1 installs is {@code hidden} and reads {@code "< k"} in the JSON, on the page, and is left out of the
 * CSV. Zero installs identify nobody and are shown. A share's {@code value} is null when its whole is zero.
 */
public record Figure(Number value, boolean shown, int k) {
    /** A number of installs: it rests on itself. */
    public static Figure installs(long installs, int k) {
        return new Figure(installs, visible(installs, k), k);
    }

    /** A sum over installs (a counter summed over {@code installs} installs). */
    public static Figure sum(Number sum, long installs, int k) {
        return new Figure(sum, visible(installs, k), k);
    }

    /** {@code part / whole}, rounded to 4 decimals; shown when both rest on enough installs. */
    public static Figure share(long part, long whole, int k) {
        BigDecimal value = whole == 0 ? null
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
        return new Figure(value, visible(part, k) && visible(whole, k), k);
    }

    /** Whether a group of this many installs may be shown: none, or at least k. */
    public static boolean visible(long installs, int k) {
        return installs == 0 || installs >= k;
    }

    /** What the summary JSON carries: the number, or the string {@code "< k"}. */
    public Object json() {
        return shown ? value : hiddenText();
    }

    public String hiddenText() {
        return "< " + k;
    }
}

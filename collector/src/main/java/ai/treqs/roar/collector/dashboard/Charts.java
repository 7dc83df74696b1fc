package ai.treqs.roar.collector.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SVG charts drawn on the server, in the Okabe-Ito palette (told apart with the common forms of colour
 * blindness); every line also has its own marker shape. No style attribute and no script: the page's
 * Content-Security-Policy allows neither.
 */
public final class Charts {
    /** Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black. */
    public static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
            "#56B4E9", "#F0E442", "#000000");
    public static final String SUCCESS = "#009E73";
    public static final String FAILURE = "#D55E00";
    public static final String NEUTRAL = "#0072B2";

    private static final int WIDTH = 640;
    private static final int LABEL = 210;
    private static final int BAR_AREA = 330;
    private static final int ROW = 30;

    /** One bar: its label, its value (null when the figure is hidden), the text beside it, its colour. */
    public record Bar(String label, Double value, String text, String colour) {}

    /** One line of a line chart: a value per x label (null where hidden or absent). */
    public record Series(String name, List<Double> values) {}

    private Charts() {}

    public static String bars(String title, List<Bar> bars) {
        double max = bars.stream().filter(b -> b.value() != null).mapToDouble(Bar::value).max().orElse(0);
        int height = Math.max(1, bars.size()) * ROW + 10;
        StringBuilder svg = open(title, height);
        int y = 5;
        for (Bar bar : bars) {
            svg.append(text(LABEL - 8, y + 19, "end", "label", bar.label()));
            double length = bar.value() == null || max == 0 ? 0 : bar.value() / max * BAR_AREA;
            if (bar.value() != null && bar.value() > 0) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>",
                        LABEL, y + 5, Math.max(length, 1.5), bar.colour()));
            }
            svg.append(text((int) (LABEL + length + 6), y + 19, "start", bar.value() == null ? "hidden" : "value",
                    bar.text()));
            y += ROW;
        }
        return svg.append("</svg>").toString();
    }

    public static String lines(String title, List<String> xLabels, List<Series> series) {
        int plotLeft = 60;
        int plotRight = WIDTH - 50;
        int plotTop = 15;
        int plotBottom = 215;
        int legendRows = (series.size() + 2) / 3;
        StringBuilder svg = open(title, plotBottom + 45 + legendRows * 22);
        double max = series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).max().orElse(0);
        double top = 4 * niceStep(max / 4);
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            int y = (int) Math.round(plotBottom - (plotBottom - plotTop) * (v / top));
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                    plotLeft, y, plotRight, y));
            svg.append(text(plotLeft - 6, y + 4, "end", "axis", number(v)));
        }
        int n = xLabels.size();
        Map<Integer, Integer> xs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int x = n == 1 ? (plotLeft + plotRight) / 2 : plotLeft + 10 + (plotRight - plotLeft - 20) * i / (n - 1);
            xs.put(i, x);
            if (n <= 8 || i % ((n + 7) / 8) == 0 || i == n - 1) {
                svg.append(text(x, plotBottom + 18, "middle", "axis", xLabels.get(i)));
            }
        }
        for (int s = 0; s < series.size(); s++) {
            String colour = PALETTE.get(s % PALETTE.size());
            List<Double> values = series.get(s).values();
            List<String> segment = new ArrayList<>();
            for (int i = 0; i <= n; i++) {
                Double v = i < n ? values.get(i) : null;
                if (v == null) {
                    if (segment.size() > 1) {
                        svg.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour)
                                .append("\" points=\"").append(String.join(" ", segment)).append("\"/>");
                    }
                    segment.clear();
                    continue;
                }
                int x = xs.get(i);
                int y = (int) Math.round(plotBottom - (plotBottom - plotTop) * (v / top));
                segment.add(x + "," + y);
            }
            for (int i = 0; i < n; i++) {
                Double v = values.get(i);
                if (v != null) {
                    int y = (int) Math.round(plotBottom - (plotBottom - plotTop) * (v / top));
                    svg.append(marker(s, xs.get(i), y, colour));
                }
            }
            int lx = 20 + (s % 3) * 205;
            int ly = plotBottom + 42 + (s / 3) * 22;
            svg.append(marker(s, lx + 6, ly - 4, colour));
            svg.append(text(lx + 18, ly, "start", "label", series.get(s).name()));
        }
        return svg.append("</svg>").toString();
    }

    private static String marker(int series, int x, int y, String colour) {
        return switch (series % 4) {
            case 0 -> String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4.5\" fill=\"%s\"/>", x, y, colour);
            case 1 -> String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"9\" height=\"9\" fill=\"%s\"/>",
                    x - 4, y - 4, colour);
            case 2 -> String.format(Locale.ROOT, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>",
                    x, y - 6, x - 5, y + 4, x + 5, y + 4, colour);
            default -> String.format(Locale.ROOT, "<polygon points=\"%d,%d %d,%d %d,%d %d,%d\" fill=\"%s\"/>",
                    x, y - 6, x + 5, y, x, y + 6, x - 5, y, colour);
        };
    }

    private static StringBuilder open(String title, int height) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\">",
                WIDTH, height));
        return svg.append("<title>").append(escape(title)).append("</title>");
    }

    private static String text(int x, int y, String anchor, String cssClass, String content) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" class=\"%s\">%s</text>",
                x, y, anchor, cssClass, escape(content));
    }

    /** The smallest whole 1, 2 or 5 times a power of ten at least {@code rough} (at least 1: installs are whole). */
    static double niceStep(double rough) {
        if (rough <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= rough) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

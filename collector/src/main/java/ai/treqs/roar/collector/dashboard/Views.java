package ai.treqs.roar.collector.dashboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import ai.treqs.roar.collector.dashboard.Panel.Cell;
import ai.treqs.roar.collector.dashboard.Panel.Row;
import ai.treqs.roar.collector.summary.Figure;
import ai.treqs.roar.collector.summary.Summary;
import ai.treqs.roar.collector.summary.Summary.Capability;
import ai.treqs.roar.collector.summary.Summary.Keyed;
import ai.treqs.roar.collector.summary.Summary.Platform;
import ai.treqs.roar.collector.summary.Summary.Step;
import ai.treqs.roar.collector.summary.Summary.Weekly;

/** The panels of each view, made from the summary's figures (no query of its own: the numbers are the summary's). */
public final class Views {
    private static final List<String> OUTCOMES = List.of("run_success", "run_failed_dirty", "run_failed_tracer_setup",
            "run_failed_user_exit", "run_failed_interrupted", "run_failed_internal");

    private Views() {}

    public static List<Panel> panels(View view, Summary s) {
        return switch (view) {
            case FUNNEL -> List.of(funnel(s));
            case ADOPTION -> List.of(weekly(s), keyed("versions", "Installs by version",
                    "Installs with any event in the window, by the version that sent it.", "Version", "Installs",
                    "installs_by_version", s.installsByVersion(), Charts.NEUTRAL));
            case OUTCOMES -> List.of(
                    keyed("outcomes", "Run outcomes", "How the runs of each install ended, from its newest event: "
                            + "run_success against each kind of failure.", "Outcome", "Runs", "subcommand_counts",
                            s.subcommandCounts().stream().filter(k -> OUTCOMES.contains(k.key()))
                                    .sorted(java.util.Comparator.comparing(k -> OUTCOMES.indexOf(k.key()))).toList(), null),
                    keyed("tracers", "Tracer selections", "The tracer each run used (summed from each install's newest "
                            + "event): which tracers preflight clean.", "Tracer", "Runs", "tracer_selections",
                            s.tracerSelections(), Charts.NEUTRAL),
                    keyed("commands", "Commands", "Commands run, summed from each install's newest event.", "Command",
                            "Times", "subcommand_counts",
                            s.subcommandCounts().stream().filter(k -> !k.key().startsWith("run_")).toList(),
                            Charts.NEUTRAL));
            case PLATFORMS -> List.of(platforms(s), capabilities(s));
        };
    }

    private static Panel funnel(Summary s) {
        List<Row> rows = new ArrayList<>();
        List<Charts.Bar> bars = new ArrayList<>();
        List<Step> steps = s.funnel().steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Cell installs = count(step.installs(), "funnel[" + i + "].installs");
            Cell share = share(step.share(), "funnel[" + i + "].share");
            rows.add(new Row(List.of(Cell.label(step.step()), installs, share)));
            bars.add(bar(step.step(), step.installs(), installs.text()
                    + (share.hidden() || step.share().value() == null ? "" : " (" + share.text() + ")"), Charts.NEUTRAL));
        }
        return new Panel("funnel", "Funnel", "Of the installs first seen in the window, how many reached init and "
                + "their first, second and third successful roar run.",
                Charts.bars("Funnel: installs per step", bars), List.of("Step", "Installs", "Share of first seen"), rows);
    }

    private static Panel weekly(Summary s) {
        List<Row> rows = new ArrayList<>();
        TreeSet<String> weeks = new TreeSet<>();
        Map<String, Map<String, Double>> byVersion = new TreeMap<>();
        List<Weekly> weekly = s.weeklyActive();
        for (int i = 0; i < weekly.size(); i++) {
            Weekly w = weekly.get(i);
            Cell installs = count(w.installs(), "weekly_active_installs[" + i + "].installs");
            rows.add(new Row(List.of(Cell.label(w.week().toString()), Cell.label(w.version()), installs)));
            weeks.add(w.week().toString());
            byVersion.computeIfAbsent(w.version(), v -> new TreeMap<>())
                    .put(w.week().toString(), w.installs().shown() ? w.installs().value().doubleValue() : null);
        }
        List<Charts.Series> series = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> e : byVersion.entrySet()) {
            if (e.getValue().values().stream().allMatch(v -> v == null)) {
                continue; // every week of it hidden: nothing to draw (the table says < k)
            }
            series.add(new Charts.Series(e.getKey(), weeks.stream().map(wk -> e.getValue().get(wk)).toList()));
        }
        return new Panel("adoption", "Weekly active installs by version", "An install is active in a week (Monday to "
                + "Sunday, UTC) when any event of it was received then. Weeks at the window's edges are partial.",
                Charts.lines("Weekly active installs by version", new ArrayList<>(weeks), series),
                List.of("Week of", "Version", "Active installs"), rows);
    }

    private static Panel platforms(Summary s) {
        List<Row> rows = new ArrayList<>();
        List<Charts.Bar> bars = new ArrayList<>();
        List<Platform> platforms = s.installsByPlatform();
        for (int i = 0; i < platforms.size(); i++) {
            Platform p = platforms.get(i);
            Cell installs = count(p.installs(), "installs_by_platform[" + i + "].installs");
            rows.add(new Row(List.of(Cell.label(p.os()), Cell.label(p.arch()), installs)));
            String label = p.os().equals(Summary.OTHER) ? Summary.OTHER : p.os() + " / " + p.arch();
            bars.add(bar(label, p.installs(), installs.text(), Charts.NEUTRAL));
        }
        return new Panel("platforms", "Platforms", "Installs with any event in the window, by operating system and "
                + "architecture.", Charts.bars("Installs by platform", bars), List.of("OS", "Arch", "Installs"), rows);
    }

    private static Panel capabilities(Summary s) {
        List<Row> rows = new ArrayList<>();
        List<Charts.Bar> bars = new ArrayList<>();
        for (Capability c : s.capabilities()) {
            Cell installs = count(c.installs(), "capability_installs." + c.key());
            Cell share = share(c.share(), "capability_shares." + c.key());
            rows.add(new Row(List.of(Cell.label(c.key()), installs, share)));
            bars.add(bar(c.key(), c.share(), share.text(), Charts.NEUTRAL));
        }
        return new Panel("capabilities", "Capabilities", "The share of installs whose newest event has each flag true.",
                Charts.bars("Share of installs with each capability", bars),
                List.of("Capability", "Installs", "Share of installs"), rows);
    }

    private static Panel keyed(String id, String title, String note, String keyHeader, String valueHeader,
                               String jsonMap, List<Keyed> figures, String colour) {
        List<Row> rows = new ArrayList<>();
        List<Charts.Bar> bars = new ArrayList<>();
        for (Keyed k : figures) {
            Cell value = count(k.figure(), jsonMap + ".'" + k.key() + "'");
            rows.add(new Row(List.of(Cell.label(k.key()), value)));
            String c = colour != null ? colour : k.key().equals("run_success") ? Charts.SUCCESS : Charts.FAILURE;
            bars.add(bar(k.key(), k.figure(), value.text(), c));
        }
        return new Panel(id, title, note, Charts.bars(title, bars), List.of(keyHeader, valueHeader), rows);
    }

    private static Charts.Bar bar(String label, Figure f, String text, String colour) {
        return new Charts.Bar(label, f.shown() && f.value() != null ? f.value().doubleValue() : null, text, colour);
    }

    static Cell count(Figure f, String path) {
        String text = f.shown() ? new BigDecimal(f.value().toString()).toPlainString() : f.hiddenText();
        return new Cell(text, text, path, false, !f.shown());
    }

    static Cell share(Figure f, String path) {
        String csv = f.shown() && f.value() != null ? new BigDecimal(f.value().toString()).toPlainString() : "";
        return new Cell(percent(f), csv, path, true, !f.shown());
    }

    /** A share as the page shows it: {@code 0.3333} is {@code 33.3 %}; none (a share of nothing) is {@code -}. */
    public static String percent(Figure f) {
        if (!f.shown()) {
            return f.hiddenText();
        }
        if (f.value() == null) {
            return "-";
        }
        return new BigDecimal(f.value().toString()).movePointRight(2).setScale(1, RoundingMode.HALF_UP) + " %";
    }
}

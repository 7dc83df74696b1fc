package ai.treqs.roar.collector.summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.treqs.roar.collector.summary.Summary.Capability;
import ai.treqs.roar.collector.summary.Summary.Keyed;
import ai.treqs.roar.collector.summary.Summary.Platform;
import ai.treqs.roar.collector.summary.Summary.Step;
import ai.treqs.roar.collector.summary.Summary.Weekly;

/** The summary as the JSON of {@code GET /api/v1/telemetry/roar/summary}: a hidden figure is {@code "< k"}. */
public final class SummaryJson {
    private SummaryJson() {}

    public static Map<String, Object> of(Summary s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", s.window().from().toString());
        out.put("to", s.window().to().toString());
        out.put("version", s.window().version().orElse(null));
        out.put("min_installs", s.k());
        out.put("installs_seen", s.installsSeen().json());
        out.put("events_by_trigger", keyed(s.eventsByTrigger()));
        List<Map<String, Object>> funnel = new ArrayList<>();
        for (Step step : s.funnel().steps()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step.step());
            row.put("installs", step.installs().json());
            row.put("share", step.share().json());
            funnel.add(row);
        }
        out.put("funnel", funnel);
        out.put("funnel_most_stop_before", s.funnel().mostStopBefore().orElse(null));
        out.put("installs_by_version", keyed(s.installsByVersion()));
        List<Map<String, Object>> platforms = new ArrayList<>();
        for (Platform p : s.installsByPlatform()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("os", p.os());
            row.put("arch", p.arch());
            row.put("installs", p.installs().json());
            platforms.add(row);
        }
        out.put("installs_by_platform", platforms);
        List<Map<String, Object>> weekly = new ArrayList<>();
        for (Weekly w : s.weeklyActive()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("week", w.week().toString());
            row.put("version", w.version());
            row.put("installs", w.installs().json());
            weekly.add(row);
        }
        out.put("weekly_active_installs", weekly);
        out.put("subcommand_counts", keyed(s.subcommandCounts()));
        out.put("tracer_selections", keyed(s.tracerSelections()));
        Map<String, Object> shares = new LinkedHashMap<>();
        Map<String, Object> installs = new LinkedHashMap<>();
        for (Capability c : s.capabilities()) {
            shares.put(c.key(), c.share().json());
            installs.put(c.key(), c.installs().json());
        }
        out.put("capability_shares", shares);
        out.put("capability_installs", installs);
        return out;
    }

    private static Map<String, Object> keyed(List<Keyed> figures) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Keyed f : figures) {
            map.put(f.key(), f.figure().json());
        }
        return map;
    }
}

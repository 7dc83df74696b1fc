package ai.treqs.roar.collector.summary;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Every figure of one window, small groups already hidden or folded into {@code other}: what the summary JSON
 * and the dashboard both show.
 */
public record Summary(Window window, int k, Figure installsSeen, List<Keyed> eventsByTrigger, Funnel funnel,
                      List<Keyed> installsByVersion, List<Platform> installsByPlatform, List<Weekly> weeklyActive,
                      List<Keyed> subcommandCounts, List<Keyed> tracerSelections, List<Capability> capabilities) {
    /** The label a version, platform or capability seen on fewer than k installs is counted under. */
    public static final String OTHER = "other";

    /** A figure under a name: a trigger, a version, a counter, a tracer. */
    public record Keyed(String key, Figure figure) {}

    /** Installs first seen in the window and how many of them reached each step, with their share. */
    public record Funnel(List<Step> steps, Optional<String> mostStopBefore) {}

    public record Step(String step, Figure installs, Figure share) {}

    public record Platform(String os, String arch, Figure installs) {}

    /** Installs active (any event received) in the week starting {@code week} (a Monday), by version. */
    public record Weekly(LocalDate week, String version, Figure installs) {}

    /** Installs whose newest event has the flag true, and their share of all installs. */
    public record Capability(String key, Figure installs, Figure share) {}
}

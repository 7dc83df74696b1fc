package ai.treqs.roar.telemetry;

import java.util.List;

/** What recording a finished command did. A reason is data ({@code --status} words), not a log line. */
public sealed interface Recording {

    /**
     * Counted; {@code queued} are the event ids written to the queue; {@code noticeShown}: this command
     * showed the one-time notice (so a command's own telemetry paragraph need not repeat it).
     */
    record Recorded(List<String> triggers, List<String> queued, boolean uploaderStarted, boolean noticeShown)
            implements Recording {}

    /** Not counted, e.g. {@code do_not_track}, {@code global_disabled}, {@code stats_lock_busy}. */
    record Skipped(String reason) implements Recording {}

    /** Telemetry failed; the user's command is unaffected. {@code kind} is the exception's simple name. */
    record Failed(String kind) implements Recording {}
}

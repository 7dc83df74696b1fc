package ai.treqs.roar.telemetry.upload;

import java.time.Duration;
import java.util.Optional;

/**
 * What one uploader run did; {@code stopReason} says why it ended before the queue was empty;
 * {@code waited} is how long it waited for an upload that was already running.
 */
public record UploadReport(int uploaded, int kept, int removed, Optional<String> stopReason, Optional<Duration> waited) {

    public UploadReport(int uploaded, int kept, int removed, Optional<String> stopReason) {
        this(uploaded, kept, removed, stopReason, Optional.empty());
    }

    /** This run sent nothing; {@code waiting} events stay queued for a later run. */
    public static UploadReport notRun(String reason, int waiting) {
        return new UploadReport(0, waiting, 0, Optional.of(reason));
    }

    /**
     * Why events were kept when the collector answered, but not {@code 204}: the run went on (each event
     * was offered), so it is no stop. A {@code 2xx} other than 204 is named as such: the collector
     * received the POST, yet only a 204 confirms a delivery, so nothing was deleted.
     */
    static String refusedBy(int status) {
        return REFUSED + status + (status / 100 == 2 ? ", not 204: the events were kept for a later upload" : "");
    }

    private static final String REFUSED = "the collector answered HTTP ";

    UploadReport afterWaiting(Optional<Duration> wait) {
        return new UploadReport(uploaded, kept, removed, stopReason, wait);
    }

    /** Whether {@code reason} is the collector's own answer (the run went on) rather than why the run stopped. */
    public static boolean isAnswer(String reason) {
        return reason.startsWith(REFUSED);
    }
}

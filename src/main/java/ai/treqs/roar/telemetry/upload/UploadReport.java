package ai.treqs.roar.telemetry.upload;

import java.util.Optional;

/** What one uploader run did; {@code stopReason} says why it ended before the queue was empty. */
public record UploadReport(int uploaded, int kept, int removed, Optional<String> stopReason) {

    /** This run sent nothing; {@code waiting} events stay queued for a later run. */
    public static UploadReport notRun(String reason, int waiting) {
        return new UploadReport(0, waiting, 0, Optional.of(reason));
    }

    /** {@code Uploaded <n>, kept <m>} plus the reason it stopped, if any (contract §8). */
    public String summary() {
        return "Uploaded " + uploaded + ", kept " + kept
                + (removed > 0 ? ", removed " + removed + " invalid" : "")
                + stopReason.map(r -> " (stopped: " + r + ")").orElse("");
    }
}

package ai.treqs.roar.cli;

import java.util.Locale;

import ai.treqs.roar.telemetry.upload.UploadReport;

/** What one uploader run did, in words: the {@code --flush} line and the detached uploader's debug line. */
final class UploadSummary {

    private UploadSummary() {}

    /**
     * {@code Uploaded <n>, kept <m>} plus the reason it stopped, if any (docs/telemetry.md#upload-mechanics, step 7); a second line when it
     * first waited for another upload to finish.
     */
    static String of(UploadReport report) {
        return "Uploaded " + report.uploaded() + ", kept " + report.kept()
                + (report.removed() > 0 ? ", removed " + report.removed() + " invalid" : "")
                + report.stopReason().map(r -> UploadReport.isAnswer(r) ? " (" + r + ")" : " (stopped: " + r + ")").orElse("")
                + report.waited().map(w -> "\nAn upload was already running; this one waited "
                        + String.format(Locale.ROOT, "%.1f", w.toMillis() / 1000.0)
                        + " s for it to finish, then sent what it had left.").orElse("");
    }
}

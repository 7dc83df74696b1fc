package ai.treqs.roar.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;

import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.UserMessages;
import ai.treqs.roar.telemetry.io.SecureFiles;

/**
 * The one-time notice of docs/telemetry.md#first-run-notice, shown when stdin, stdout and stderr are terminals, and
 * remembered by a sentinel.
 */
final class Disclosure {
    /** After a blank line, at most 80 columns a line (docs/telemetry.md#first-run-notice). */
    static final String NOTICE = """

            roar collects anonymous usage milestones: counters, version, OS class and
            architecture; never commands, paths, output or secrets.
            See the exact data with `roar telemetry --print`, what is set with
            `roar telemetry --status`. Turn it off with `roar telemetry --disable` or
            DO_NOT_TRACK=1. What is and is not collected: `roar telemetry --help`.""";

    private Disclosure() {}

    /** Shows the notice if it was never shown; returns whether it was shown now. */
    static boolean showOnce(RoarPaths paths, boolean interactive, UserMessages messages) throws IOException {
        if (!interactive || Files.exists(paths.disclosureSentinel(), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        // sentinel first: if it cannot be written, the failure skips this recording (docs/architecture.md#the-fail-quiet-boundary) instead of
        // repeating the notice on every command
        SecureFiles.ensureDirectory(paths.roarConfigDir());
        SecureFiles.writeAtomically(paths.disclosureSentinel(), new byte[0]);
        messages.notice(NOTICE);
        return true;
    }
}

package ai.treqs.roar.cli;

import java.util.Optional;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.control.TelemetrySettings.Disabled;
import ai.treqs.roar.telemetry.control.TelemetrySettings.Edit;
import ai.treqs.roar.telemetry.control.TelemetrySettings.Forgotten;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.io.TerminalText;

/** {@code --disable}, {@code --enable}, {@code --endpoint} (docs/telemetry.md#opt-out-controls): what the edit came to, in words, and the exit code. */
final class SettingsReport {
    private static final String NOTHING_TO_DELETE = "There was no queued event and no install ID to delete.\n";
    /** What still keeps telemetry off when the opt-out could not be saved (docs/telemetry.md). */
    static final String KEEP_IT_OFF = "roar: the setting could not be saved; to keep telemetry off, set DO_NOT_TRACK=1"
            + " in your environment (e.g. export DO_NOT_TRACK=1 in your shell profile)\n";

    private SettingsReport() {}

    static ActionResult disabled(Disabled d) {
        StringBuilder err = new StringBuilder();
        d.notSaved().ifPresent(failure -> {
            // the data goes below, but nothing on disk says "off" now: the next command would start again
            err.append(failure instanceof Edit.ForeignDirectory f ? cannotSave(f.why())
                    : failure instanceof Edit.NoHome none ? noFilesOfYours(none.why())
                    : "roar: cannot write " + d.global() + ": " + why(failure) + "; telemetry is not switched off in that file\n")
                    .append(KEEP_IT_OFF);
        });
        String removed = "";
        Forgotten forgotten = d.forgotten();
        if (forgotten instanceof Forgotten.DeleteFailed failed) {
            err.append("roar: the local telemetry data could not be deleted: ").append(failed.why()).append('\n');
        } else if (forgotten instanceof Forgotten.NotOurDirectory foreign) {
            removed = "Deleted nothing: " + TerminalText.inert(foreign.why())
                    + ", so roar left it untouched (it is not your own directory).\n";
        } else if (forgotten instanceof Forgotten.Deleted deleted) {
            // a second --disable finds no identity: saying it deleted one would not be true
            removed = (deleted.events() == 0 && !deleted.identity() ? NOTHING_TO_DELETE
                    : "Deleted " + deleted.events() + " queued events, the install ID and the upload history.\n")
                    + deleted.untouched().map(why -> "Left untouched (not roar's own file): " + TerminalText.inert(why) + "\n").orElse("");
        }
        String note = d.movedAside().map(aside -> "The unreadable " + d.global() + " was moved to " + aside + "\n").orElse("");
        String done = d.wasOff() ? "Telemetry was already disabled globally in " : "Telemetry disabled globally in ";
        String out = (d.notSaved().isEmpty() ? note + done + d.global() + "\n" : "") + removed;
        return new ActionResult(err.isEmpty() ? ExitCode.SUCCESS : ExitCode.FAILURE, out, err.toString());
    }

    static ActionResult enabled(Edit edit, Environment env) {
        if (edit instanceof Edit.AdministratorOff admin) {
            return ActionResult.failed(admin.invalid()
                    ? "roar: the administrator's " + admin.system() + " is invalid, so telemetry stays off until it is fixed; nothing changed\n"
                    : "roar: telemetry was disabled by an administrator in " + admin.system() + "; nothing changed\n");
        }
        ActionResult result = edited(edit, "Telemetry enabled globally in ");
        Optional<EffectiveConfig> here = edit instanceof Edit.Saved saved ? saved.stillOffHere() : Optional.empty();
        Optional<String> why = here.flatMap(c -> c.suppression().map(r -> ReasonText.suppression(r, env))
                .or(() -> c.disabledReason().map(r -> ReasonText.disabled(r, c, Optional.empty()))));
        return why.map(w -> ActionResult.ok(result.out() + "Telemetry is still off here: " + w + ".\n")).orElse(result);
    }

    static ActionResult endpoint(Edit edit) {
        if (edit instanceof Edit.InvalidEndpoint invalid) {
            return ActionResult.usage("roar: invalid --endpoint: " + invalid.problem() + "\n");
        }
        return edited(edit, "Telemetry endpoint saved in ");
    }

    /** An argument the locale turned into U+FFFD and the command line no longer holds. */
    static ActionResult unreadableEndpoint() {
        return ActionResult.usage("roar: invalid --endpoint: it contains characters this locale cannot read"
                + " (set LANG to a UTF-8 locale, e.g. C.UTF-8)\n");
    }

    private static ActionResult edited(Edit edit, String saved) {
        if (edit instanceof Edit.Saved s) {
            return ActionResult.ok(saved + s.global() + "\n");
        }
        if (edit instanceof Edit.ForeignDirectory f) {
            return ActionResult.failed(cannotSave(f.why()));
        }
        if (edit instanceof Edit.NoHome none) {
            return ActionResult.failed(noFilesOfYours(none.why()));
        }
        if (edit instanceof Edit.Refused r) {
            return ActionResult.failed("roar: cannot edit " + r.global() + ": " + r.why() + "; nothing changed\n");
        }
        if (edit instanceof Edit.WriteFailed w) {
            return ActionResult.failed("roar: cannot write " + w.global() + ": " + w.why() + "; nothing changed\n");
        }
        throw new IllegalStateException("not an edit of this action: " + edit);
    }

    private static String why(Edit failure) {
        return failure instanceof Edit.Refused r ? r.why() : failure instanceof Edit.WriteFailed w ? w.why() : failure.toString();
    }

    /** The one line when there is no global file at all (no_home): the reason in words, never a made-up path. */
    private static String noFilesOfYours(String homeless) {
        return "roar: cannot save the setting: " + TerminalText.inert(homeless)
                + ", so roar keeps no files of yours (telemetry is off here: no_home); nothing changed\n";
    }

    /** The one line for a config directory another user owns or can write: nothing is written there. */
    private static String cannotSave(String why) {
        return "roar: cannot save the setting: " + TerminalText.inert(why) + "\n";
    }
}

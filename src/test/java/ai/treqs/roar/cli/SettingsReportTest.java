package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.telemetry.control.TelemetrySettings.Disabled;
import ai.treqs.roar.telemetry.control.TelemetrySettings.Edit;
import ai.treqs.roar.telemetry.control.TelemetrySettings.Forgotten;
import ai.treqs.roar.telemetry.env.Environment;

/** Every way --disable, --enable and --endpoint can end, in the words and exit code the user gets (docs/telemetry.md#opt-out-controls). */
class SettingsReportTest {
    private static final Path GLOBAL = Path.of("/home/u/.config/roar/global.toml");
    private static final String KEEP_IT_OFF = "roar: the setting could not be saved; to keep telemetry off, set DO_NOT_TRACK=1"
            + " in your environment (e.g. export DO_NOT_TRACK=1 in your shell profile)\n";

    @Test
    void disableSaysWhatItWroteAndDeleted() {
        assertEquals(new ActionResult(ExitCode.SUCCESS, "Telemetry disabled globally in " + GLOBAL + "\n"
                        + "Deleted 2 queued events, the install ID and the upload history.\n", ""),
                SettingsReport.disabled(new Disabled(GLOBAL, false, Optional.empty(), Optional.empty(),
                        new Forgotten.Deleted(2, true, Optional.empty()))));
        assertEquals(new ActionResult(ExitCode.SUCCESS, "The unreadable " + GLOBAL + " was moved to " + GLOBAL + ".invalid-x\n"
                        + "Telemetry was already disabled globally in " + GLOBAL + "\n"
                        + "There was no queued event and no install ID to delete.\n"
                        + "Left untouched (not roar's own file): /c/sent.jsonl is a link\\x1b\n", ""),
                SettingsReport.disabled(new Disabled(GLOBAL, true, Optional.of(Path.of(GLOBAL + ".invalid-x")), Optional.empty(),
                        new Forgotten.Deleted(0, false, Optional.of("/c/sent.jsonl is a link\u001b")))));
    }

    @Test
    void aDisableThatCouldNotBeSavedFailsAndSaysHowToKeepItOff() {
        assertEquals(new ActionResult(ExitCode.FAILURE, "Deleted nothing: /c/roar is owned by uid 7, so roar left it untouched "
                        + "(it is not your own directory).\n",
                        "roar: cannot save the setting: /h/roar is owned by uid 7\n" + KEEP_IT_OFF),
                SettingsReport.disabled(new Disabled(GLOBAL, false, Optional.empty(),
                        Optional.of(new Edit.ForeignDirectory("/h/roar is owned by uid 7")),
                        new Forgotten.NotOurDirectory("/c/roar is owned by uid 7"))));
        assertEquals(new ActionResult(ExitCode.FAILURE, "",
                        "roar: cannot write " + GLOBAL + ": larger than 64 KiB; telemetry is not switched off in that file\n" + KEEP_IT_OFF
                                + "roar: the local telemetry data could not be deleted: disk full\n"),
                SettingsReport.disabled(new Disabled(GLOBAL, false, Optional.empty(),
                        Optional.of(new Edit.Refused(GLOBAL, "larger than 64 KiB")), new Forgotten.DeleteFailed("disk full"))));
    }

    @Test
    void enableAndEndpointNameTheFileOrTheProblem() {
        Environment env = Environment.of(Map.of());
        Path system = Path.of("/etc/xdg/roar/global.toml");
        assertEquals(ActionResult.failed("roar: telemetry was disabled by an administrator in " + system + "; nothing changed\n"),
                SettingsReport.enabled(new Edit.AdministratorOff(system, false), env));
        assertEquals(ActionResult.failed("roar: the administrator's " + system
                        + " is invalid, so telemetry stays off until it is fixed; nothing changed\n"),
                SettingsReport.enabled(new Edit.AdministratorOff(system, true), env));
        assertEquals(ActionResult.ok("Telemetry enabled globally in " + GLOBAL + "\n"),
                SettingsReport.enabled(new Edit.Saved(GLOBAL, Optional.empty()), env));
        assertEquals(ActionResult.failed("roar: cannot edit " + GLOBAL + ": not valid UTF-8; nothing changed\n"),
                SettingsReport.enabled(new Edit.Refused(GLOBAL, "not valid UTF-8"), env));
        assertEquals(ActionResult.ok("Telemetry endpoint saved in " + GLOBAL + "\n"),
                SettingsReport.endpoint(new Edit.Saved(GLOBAL, Optional.empty())));
        assertEquals(ActionResult.failed("roar: cannot write " + GLOBAL + ": read-only file system; nothing changed\n"),
                SettingsReport.endpoint(new Edit.WriteFailed(GLOBAL, "read-only file system")));
        assertEquals(ActionResult.usage("roar: invalid --endpoint: no host\n"),
                SettingsReport.endpoint(new Edit.InvalidEndpoint("no host")));
        assertEquals(ActionResult.usage("roar: invalid --endpoint: it contains characters this locale cannot read"
                + " (set LANG to a UTF-8 locale, e.g. C.UTF-8)\n"), SettingsReport.unreadableEndpoint());
    }
}

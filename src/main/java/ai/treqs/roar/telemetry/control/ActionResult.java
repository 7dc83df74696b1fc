package ai.treqs.roar.telemetry.control;

import ai.treqs.roar.ExitCode;

/** What a {@code roar telemetry} action printed and how it exits ({@link ExitCode}); the command only relays it. */
public record ActionResult(int exitCode, String out, String err) {
    public static ActionResult ok(String out) {
        return new ActionResult(ExitCode.SUCCESS.code(), out, "");
    }

    public static ActionResult failed(String err) {
        return new ActionResult(ExitCode.FAILURE.code(), "", err);
    }

    public static ActionResult usage(String err) {
        return new ActionResult(ExitCode.USAGE.code(), "", err);
    }
}

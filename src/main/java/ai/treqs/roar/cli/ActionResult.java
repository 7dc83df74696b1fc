package ai.treqs.roar.cli;

import ai.treqs.roar.ExitCode;

/** What a {@code roar telemetry} action prints and how it exits: the text rendered from the core's outcome. */
record ActionResult(ExitCode exit, String out, String err) {
    static ActionResult ok(String out) {
        return new ActionResult(ExitCode.SUCCESS, out, "");
    }

    static ActionResult failed(String err) {
        return new ActionResult(ExitCode.FAILURE, "", err);
    }

    static ActionResult usage(String err) {
        return new ActionResult(ExitCode.USAGE, "", err);
    }
}

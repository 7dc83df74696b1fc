package ai.treqs.roar.telemetry.control;

/** What a {@code roar telemetry} action printed and how it exits; the command only relays it. */
public record ActionResult(int exitCode, String out, String err) {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static ActionResult ok(String out) {
        return new ActionResult(OK, out, "");
    }

    public static ActionResult failed(String err) {
        return new ActionResult(FAILED, "", err);
    }

    public static ActionResult usage(String err) {
        return new ActionResult(USAGE, "", err);
    }
}

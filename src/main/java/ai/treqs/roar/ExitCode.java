package ai.treqs.roar;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every exit code roar itself chooses, in one place: {@code roar --help}, the man page and
 * docs/configuration.md#exit-codes print this table. {@code roar run} otherwise exits with its
 * command's own code ({@link #RUN_PASS_THROUGH}). It sits at the root because cli and host each
 * decide an exit code and host must not depend on cli; the telemetry core never chooses one
 * (docs/architecture.md#who-words-the-output-and-chooses-the-exit-code).
 */
public enum ExitCode {
    SUCCESS(0, "success"),
    FAILURE(1, "failure"),
    USAGE(2, "usage error"),
    /** Chosen as env, timeout and docker run choose it: the wrapper refused, the command never ran. */
    RUN_REFUSED(125, "roar run refused: dirty git tree or tracer mode not available"),
    RUN_NOT_EXECUTABLE(126, "roar run: the command is not executable"),
    RUN_NOT_FOUND(127, "roar run: the command was not found"),
    /** Not a code of its own: the row that says every other code of {@code roar run} is its command's. */
    RUN_PASS_THROUGH(-1, "roar run: the command's own exit code (128+N: signal N)");

    /** The label of {@link #RUN_PASS_THROUGH} in the table. */
    static final String PASS_THROUGH_LABEL = "other";

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The code; {@link #RUN_PASS_THROUGH} has none (it is the command's). */
    public int code() {
        if (this == RUN_PASS_THROUGH) {
            throw new IllegalStateException("the pass-through row has no code of its own");
        }
        return code;
    }

    public String description() {
        return description;
    }

    /** The first column of the table: the code, or {@code other} for the pass-through row. */
    public String label() {
        return this == RUN_PASS_THROUGH ? PASS_THROUGH_LABEL : Integer.toString(code);
    }

    /** Label to description, in order: the exit-code table of {@code roar --help} and the man page. */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exit : values()) {
            list.put(exit.label(), exit.description);
        }
        return list;
    }
}

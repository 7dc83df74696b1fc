package ai.treqs.roar;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The documented exit codes (contract §10), in one place; {@code roar --help} lists them from here.
 * {@code roar run} otherwise exits with its command's code. It sits at the root because cli, host and
 * telemetry/control each decide an exit code, and host and telemetry must not depend on cli.
 */
public enum ExitCode {
    SUCCESS(0, "success"),
    FAILURE(1, "failure"),
    USAGE(2, "usage error"),
    RUN_DIRTY(3, "roar run refused: dirty git tree"),
    RUN_TRACER_SETUP(4, "roar run refused: tracer mode not available");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** Code to description, in order: the exit-code list of {@code roar --help}. */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exit : values()) {
            list.put(Integer.toString(exit.code), exit.description);
        }
        return list;
    }
}

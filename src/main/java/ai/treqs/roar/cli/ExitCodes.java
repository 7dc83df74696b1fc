package ai.treqs.roar.cli;

/** The documented exit codes (contract §10). {@code roar run} otherwise exits with its command's code. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int RUN_DIRTY = 3;
    public static final int RUN_TRACER_SETUP = 4;

    private ExitCodes() {}
}

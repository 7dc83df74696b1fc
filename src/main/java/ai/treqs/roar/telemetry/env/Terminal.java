package ai.treqs.roar.telemetry.env;

/** Whether the user sits at an interactive terminal (stdin and stdout both terminals). */
public interface Terminal {
    boolean isInteractive();

    /**
     * Whether a message on stderr reaches the user's terminal too: interactive, and stderr not
     * redirected ({@code 2>/dev/null} in a terminal). A notice nobody could see was not shown (docs/telemetry.md#first-run-notice).
     */
    default boolean stderrIsInteractive() {
        return isInteractive();
    }
}

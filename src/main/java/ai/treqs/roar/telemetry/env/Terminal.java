package ai.treqs.roar.telemetry.env;

/** Whether the user sits at an interactive terminal (stdin and stdout both terminals). */
public interface Terminal {
    boolean isInteractive();
}

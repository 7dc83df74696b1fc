package ai.treqs.roar.telemetry.env;

/**
 * Where the telemetry core hands what the user must see on stderr: a configuration warning, the
 * first-run notice. The core prints nothing itself; {@code cli} binds this to picocli's error stream.
 * Handed over as it happens, so a warning still comes before the output of a command run after it.
 */
public interface UserMessages {

    /** One problem with the configuration, in words, shown once per process. */
    void warning(String text);

    /** The first-run notice of docs/telemetry.md#first-run-notice, word for word. */
    void notice(String text);
}

package ai.treqs.roar.telemetry.upload;

/**
 * Starts an upload of the queue without making the user's command wait: a detached process of the
 * same program in production, the same JVM after the command under {@code quarkus dev} (docs/telemetry.md#upload-mechanics).
 */
public interface UploadStarter {

    /** @return whether an upload was started */
    boolean start();
}

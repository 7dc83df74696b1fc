package ai.treqs.roar.cli;

import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.telemetry.upload.RelaunchCommand;
import ai.treqs.roar.telemetry.upload.Uploader;
import picocli.CommandLine.Command;

/** The detached uploader (docs/telemetry.md#upload-mechanics): started by roar itself, never by users; prints nothing. */
@Command(name = RelaunchCommand.UPLOAD_SUBCOMMAND, hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Upload queued telemetry (internal).")
public class UploadCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(UploadCommand.class);

    @Inject Uploader uploader;

    @Override
    public Integer call() {
        try {
            LOG.debug(UploadSummary.of(uploader.run()));
        } catch (Exception e) {
            LOG.debug("upload failed", e);
        }
        return ExitCode.SUCCESS.code();
    }
}

package ai.treqs.roar.cli;

import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.control.ActionResult;
import ai.treqs.roar.telemetry.control.TelemetryPreview;
import ai.treqs.roar.telemetry.control.TelemetrySettings;
import ai.treqs.roar.telemetry.control.TelemetryStatus;
import ai.treqs.roar.telemetry.control.UploadHistory;
import ai.treqs.roar.telemetry.upload.FlushService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code roar telemetry}: inspect and configure anonymous product telemetry. One action at a time. */
@Command(name = "telemetry", mixinStandardHelpOptions = true,
        description = "Inspect and configure anonymous product telemetry (none means --status).")
public class TelemetryCommand implements Callable<Integer> {

    static class Action {
        @Option(names = "--status", description = "Show what is set on this machine.") boolean status;
        @Option(names = "--print", description = "Print the exact JSON that would be uploaded; writes nothing.") boolean print;
        @Option(names = "--flush", description = "Upload queued events now, in the foreground.") boolean flush;
        @Option(names = "--history", description = "Show what was uploaded, newest first.") boolean history;
        @Option(names = "--disable", description = "Turn telemetry off for this user and delete its local state.") boolean disable;
        @Option(names = "--enable", description = "Turn telemetry on for this user.") boolean enable;
        @Option(names = "--endpoint", paramLabel = "URL", description = "Set the upload endpoint (empty: no uploads).") String endpoint;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Action action = new Action();

    @Option(names = "--json", description = "With --status or --history: JSON output.")
    boolean json;

    @Spec CommandSpec spec;

    @Inject TelemetryStatus status;
    @Inject TelemetryPreview preview;
    @Inject TelemetrySettings settings;
    @Inject UploadHistory history;
    @Inject FlushService flush;

    @Override
    public Integer call() throws Exception {
        if (json && (action.print || action.flush || action.disable || action.enable || action.endpoint != null)) {
            return relay(ActionResult.usage("roar: --json goes with --status or --history\n"));
        }
        ActionResult result;
        if (action.print) {
            result = preview.print();
        } else if (action.flush) {
            result = flush.flush();
        } else if (action.history) {
            result = history.show(json);
        } else if (action.disable) {
            result = settings.disable();
        } else if (action.enable) {
            result = settings.enable();
        } else if (action.endpoint != null) {
            result = settings.endpoint(action.endpoint);
        } else {
            TelemetryStatus.Facts facts = status.facts();
            result = ActionResult.ok(json ? status.json(facts) : status.text(facts));
        }
        return relay(result);
    }

    private int relay(ActionResult result) {
        spec.commandLine().getOut().print(result.out());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().print(result.err());
        spec.commandLine().getErr().flush();
        return result.exitCode();
    }
}

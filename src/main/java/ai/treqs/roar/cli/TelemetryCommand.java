package ai.treqs.roar.cli;

import ai.treqs.roar.telemetry.env.CommandLineText;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.telemetry.control.FlushAction;
import ai.treqs.roar.telemetry.control.TelemetryPreview;
import ai.treqs.roar.telemetry.control.TelemetrySettings;
import ai.treqs.roar.telemetry.control.TelemetryStatus;
import ai.treqs.roar.telemetry.control.UploadHistory;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.payload.PayloadSchema;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code roar telemetry}: inspect and configure anonymous product telemetry. One action at a time, as a
 * flag ({@code --status}) or as the verb other CLIs taught people ({@code status}): the same action.
 */
@Command(name = "telemetry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Inspect and configure anonymous product telemetry (none means --status).",
        // the man page's section title too (a blank heading there reads FOOTER)
        footerHeading = "%nWhat telemetry collects:%n",
        footer = {
            "Anonymous, bounded, milestone-based stats about how roar is being used:",
            "coarse usage counters, the tracer your install resolves to, basic capability",
            "flags, version, and platform class (OS class and architecture).",
            "`roar telemetry --print` shows the exact JSON.",
            "",
            "What is not collected: no commands you ran, no command arguments or flag",
            "values, no file paths, file names or file contents, no environment variables,",
            "no repository names, remotes or branch names, no hostnames or usernames, no IP",
            "addresses (beyond what TCP itself reveals to the endpoint), no lineage",
            "payloads, artifact hashes, DAG structures or job IDs, no GLaaS auth tokens or",
            "account identifiers, no stdout or stderr from your runs, no experiment-tracker",
            "metadata.",
            "",
            "Turn it off: `roar telemetry --disable`, or DO_NOT_TRACK=1 or",
            "ROAR_NO_TELEMETRY=1 in your environment."})
public class TelemetryCommand implements Callable<Integer> {

    enum Verb { STATUS, PRINT, FLUSH, HISTORY, DISABLE, ENABLE, ENDPOINT, SCHEMA }

    static class Action {
        @Option(names = "--status", description = "Show what is set on this machine.") boolean status;
        @Option(names = "--print", description = "Print the exact JSON that would be uploaded; writes nothing.") boolean print;
        @Option(names = "--flush", description = "Upload queued events now, in the foreground.") boolean flush;
        @Option(names = "--history", description = "Show what was uploaded, newest first.") boolean history;
        @Option(names = "--disable", description = "Turn telemetry off for this user and delete its local state.") boolean disable;
        @Option(names = "--enable", description = "Turn telemetry on for this user.") boolean enable;
        @Option(names = "--endpoint", paramLabel = "URL", description = "Set the upload endpoint (empty: no uploads).") String endpoint;
        @Option(names = "--schema", description = "Print the JSON Schema of the uploaded payload.") boolean schema;

        boolean any() {
            return status || print || flush || history || disable || enable || endpoint != null || schema;
        }
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
    @Inject FlushAction flush;
    @Inject Environment env;

    @Override
    public Integer call() throws Exception {
        Verb verb = action.print ? Verb.PRINT : action.flush ? Verb.FLUSH : action.history ? Verb.HISTORY
                : action.disable ? Verb.DISABLE : action.enable ? Verb.ENABLE : action.endpoint != null ? Verb.ENDPOINT
                : action.schema ? Verb.SCHEMA : Verb.STATUS;
        return perform(verb, json, action.endpoint);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --status.")
    int statusVerb(@Option(names = "--json", description = "JSON output.") boolean verbJson) throws Exception {
        return verb(Verb.STATUS, verbJson, null);
    }

    @Command(name = "print", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --print.")
    int printVerb(@Option(names = "--json", hidden = true) boolean verbJson) throws Exception {
        return verb(Verb.PRINT, verbJson, null);
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --flush.")
    int flushVerb(@Option(names = "--json", hidden = true) boolean verbJson) throws Exception {
        return verb(Verb.FLUSH, verbJson, null);
    }

    @Command(name = "history", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --history.")
    int historyVerb(@Option(names = "--json", description = "JSON output.") boolean verbJson) throws Exception {
        return verb(Verb.HISTORY, verbJson, null);
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --disable.")
    int disableVerb(@Option(names = "--json", hidden = true) boolean verbJson) throws Exception {
        return verb(Verb.DISABLE, verbJson, null);
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --enable.")
    int enableVerb(@Option(names = "--json", hidden = true) boolean verbJson) throws Exception {
        return verb(Verb.ENABLE, verbJson, null);
    }

    @Command(name = "schema", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --schema.")
    int schemaVerb(@Option(names = "--json", hidden = true) boolean verbJson) throws Exception {
        return verb(Verb.SCHEMA, verbJson, null);
    }

    @Command(name = "endpoint", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Same as --endpoint URL.")
    int endpointVerb(@Option(names = "--json", hidden = true) boolean verbJson,
                     @Parameters(paramLabel = "URL", description = "The upload endpoint (empty: no uploads).") String url)
            throws Exception {
        return verb(Verb.ENDPOINT, verbJson, url);
    }

    /** A verb after a flag is two actions: the same usage error as two flags. */
    private int verb(Verb verb, boolean verbJson, String url) throws Exception {
        if (action.any()) {
            return relay(ActionResult.usage("roar: one action at a time: " + verb.name().toLowerCase()
                    + " was given after an action flag\n"));
        }
        return perform(verb, json || verbJson, url);
    }

    private int perform(Verb verb, boolean asJson, String url) throws Exception {
        if (asJson && verb != Verb.STATUS && verb != Verb.HISTORY) {
            return relay(ActionResult.usage("roar: --json goes with --status or --history\n"));
        }
        ActionResult result = switch (verb) {
            case PRINT -> preview(preview.print());
            case FLUSH -> ActionResult.ok(UploadSummary.of(flush.flush()) + "\n");
            case HISTORY -> HistoryReport.of(history.newestFirst(), asJson);
            case DISABLE -> SettingsReport.disabled(settings.disable());
            case ENABLE -> SettingsReport.enabled(settings.enable(), env);
            case ENDPOINT -> {
                // the URL as typed: under the POSIX locale the JVM turned its non-ASCII bytes into U+FFFD
                Optional<String> typed = CommandLineText.asTyped(url);
                yield typed.isEmpty() ? SettingsReport.unreadableEndpoint() : SettingsReport.endpoint(settings.endpoint(typed.get()));
            }
            case SCHEMA -> ActionResult.ok(PayloadSchema.text());
            case STATUS -> {
                TelemetryStatus.Facts facts = status.facts();
                yield ActionResult.ok(asJson ? StatusReport.json(facts, env) : StatusReport.text(facts, env));
            }
        };
        return relay(result);
    }

    /** {@code --print}: the payload on stdout in any case; exit 1 with the reason when it would not be uploaded. */
    private static ActionResult preview(TelemetryPreview.Preview preview) {
        String json = preview.json() + "\n";
        return preview.noUploadReason()
                .map(reason -> new ActionResult(ExitCode.FAILURE, json, "No telemetry payload would be uploaded: " + reason + ".\n"))
                .orElse(ActionResult.ok(json));
    }

    private int relay(ActionResult result) {
        // stored files, the environment and the network reach these lines: shown inert
        spec.commandLine().getOut().print(TerminalText.inertLines(result.out()));
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().print(TerminalText.inertLines(result.err()));
        if (result.exit() == ExitCode.USAGE) {
            // every usage error has the same layout: its roar: line, then where help is
            spec.commandLine().getErr().println("Try '" + spec.qualifiedName() + " --help' for more information.");
        }
        spec.commandLine().getErr().flush();
        return result.exit().code();
    }
}

package ai.treqs.roar.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import ai.treqs.roar.telemetry.config.ConfigFile;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.EndpointRule;
import ai.treqs.roar.telemetry.control.TelemetryStatus.Facts;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.io.UtcTimestamps;
import ai.treqs.roar.telemetry.upload.LastAttempt;
import ai.treqs.roar.telemetry.upload.ProxySettings;

/** {@code --status} and {@code --status --json} (docs/telemetry.md#--status): the facts of telemetry/control/TelemetryStatus in words. */
final class StatusReport {

    private StatusReport() {}

    /** {@code env} names a suppression's variable with its value (ReasonText). */
    static String text(Facts f, Environment env) {
        EffectiveConfig c = f.config();
        StringBuilder out = new StringBuilder();
        line(out, "Telemetry", c.statsEnabled()
                ? "enabled" + f.cannotRecord().map(why -> " (cannot record: " + why + ")").orElse("") : "disabled");
        line(out, "Uploads", c.uploadsEnabled() ? "enabled" : "disabled");
        line(out, "Endpoint", (c.endpoint().isEmpty() ? "(empty)" : EndpointRule.display(c.endpoint()))
                + " (" + c.endpointSource().label() + ")");
        proxyLine(f.proxy()).ifPresent(p -> line(out, "Proxy", p));
        line(out, "Queued events", String.valueOf(f.queued()));
        line(out, "Install ID", f.installId().orElse("(not created)"));
        c.disabledReason().ifPresent(r -> line(out, "Disabled reason", r + " (" + ReasonText.disabled(r, c, f.paths().homeless()) + ")"));
        c.suppression().ifPresent(r -> line(out, "Suppression", r + " (" + ReasonText.suppression(r, env) + ")"));
        c.uploadsReason().ifPresent(r -> line(out, "Uploads reason", r + " (" + ReasonText.uploads(r, c) + ")"));
        f.lastUpload().ifPresent(a -> line(out, "Last upload", UtcTimestamps.format(a.at()) + " " + outcome(a)));
        c.systemConfig().ifPresent(p -> line(out, "System config", p.toString()));
        // with no home there is no global file: its line says why, not where a missing home points
        line(out, "Global config", f.paths().homeless().or(() -> f.paths().unnamed().config().map(ConfigFile.Invalid::problem))
                .map(why -> "(none: " + why + ")")
                .orElseGet(() -> c.globalConfig() + (f.globalConfigExists() ? "" : " (not found)")));
        c.projectConfig().ifPresent(p -> line(out, "Project config", p.toString()
                + c.projectRestriction().filter(r -> !r.equals(p)).map(r -> " (restricted by " + r + ")").orElse("")));
        return out.toString();
    }

    static String json(Facts f, Environment env) {
        EffectiveConfig c = f.config();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", c.statsEnabled());
        json.put("uploads_enabled", c.uploadsEnabled());
        json.put("endpoint", c.endpoint().isEmpty() ? "" : EndpointRule.display(c.endpoint()));
        json.put("endpoint_source", c.endpointSource().label());
        json.put("proxy", proxyJson(f.proxy()));
        json.put("queued_events", (long) f.queued());
        json.put("install_id", f.installId().orElse(null));
        json.put("disabled_reason", c.disabledReason().orElse(null));
        json.put("disabled_reason_text", c.disabledReason().map(r -> ReasonText.disabled(r, c, f.paths().homeless())).orElse(null));
        json.put("suppression", c.suppression().orElse(null));
        json.put("suppression_text", c.suppression().map(r -> ReasonText.suppression(r, env)).orElse(null));
        json.put("uploads_reason", c.uploadsReason().orElse(null));
        json.put("uploads_reason_text", c.uploadsReason().map(r -> ReasonText.uploads(r, c)).orElse(null));
        json.put("last_upload", f.lastUpload().map(a -> {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("at", UtcTimestamps.format(a.at()));
            last.put("ok", !a.failed());
            last.put("outcome", outcome(a));
            return last;
        }).orElse(null));
        json.put("system_config", c.systemConfig().map(Object::toString).orElse(null));
        json.put("global_config", f.paths().noHome() || f.paths().unnamed().config().isPresent() ? null : c.globalConfig().toString());
        json.put("global_config_exists", f.globalConfigExists());
        json.put("project_config", c.projectConfig().map(Object::toString).orElse(null));
        json.put("can_record", c.statsEnabled() ? f.cannotRecord().isEmpty() : null);
        json.put("cannot_record_reason", f.cannotRecord().orElse(null));
        return Json.writeString(json) + "\n";
    }

    private static String outcome(LastAttempt attempt) {
        return attempt.failed() ? "failed: " + attempt.outcome() : "ok";
    }

    /** The {@code Proxy:} line: the proxy in use, or a warning that the one set cannot be used (docs/proxies-and-ledger.md). */
    static Optional<String> proxyLine(ProxySettings.Route route) {
        if (route instanceof ProxySettings.Route.Via via) {
            return Optional.of(via.proxy().display() + " (" + via.proxy().variable() + ")");
        }
        if (route instanceof ProxySettings.Route.Refused r) {
            return Optional.of(r.shown() + " (" + r.variable() + ") not usable: " + r.variable() + " " + r.why()
                    + "; nothing is sent while it is set");
        }
        return Optional.empty();
    }

    /** The same facts as the text line: {@code {"url", "variable", "usable", "problem"}}, or null. */
    static Map<String, Object> proxyJson(ProxySettings.Route route) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (route instanceof ProxySettings.Route.Via via) {
            json.put("url", via.proxy().display());
            json.put("variable", via.proxy().variable());
            json.put("usable", true);
            json.put("problem", null);
        } else if (route instanceof ProxySettings.Route.Refused r) {
            json.put("url", r.shown().startsWith("(") ? null : r.shown());
            json.put("variable", r.variable());
            json.put("usable", false);
            json.put("problem", r.variable() + " " + r.why());
        } else {
            return null;
        }
        return json;
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(label).append(": ").append(TerminalText.inert(value)).append('\n');
    }
}

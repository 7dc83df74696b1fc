package ai.treqs.roar.cli;

import java.nio.file.Path;
import java.util.Optional;

import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.EndpointRule;
import ai.treqs.roar.telemetry.env.Environment;

/**
 * The meaning of a reason code in words, with the file or variable behind it (docs/telemetry.md#--status):
 * {@code global_disabled} → {@code enabled = false in /home/u/.config/roar/global.toml}.
 */
final class ReasonText {

    private ReasonText() {}

    static String suppression(String code, Environment env) {
        return switch (code) {
            case "do_not_track" -> valued("DO_NOT_TRACK", env);
            case "roar_no_telemetry" -> valued("ROAR_NO_TELEMETRY", env);
            case "roar_job_instrumented" -> valued("ROAR_JOB_INSTRUMENTED", env) + ": this command runs inside roar run";
            case "backend_job_environment:registered" -> "a registered backend detector reports a job environment";
            default -> {
                int colon = code.indexOf(':');
                // a CI marker's value can be a URL with a token (JENKINS_URL): only the name is shown
                yield colon < 0 ? code : code.substring(colon + 1) + " is set";
            }
        };
    }

    static String disabled(String code, EffectiveConfig c, Optional<String> homeless) {
        String system = c.systemConfig().map(Path::toString).orElse("the system file");
        String project = c.projectRestriction().or(c::projectConfig).map(Path::toString).orElse("the project file");
        return switch (code) {
            case "no_home" -> homeless.orElse("no absolute HOME") + ": roar keeps no files of yours";
            case "system_config_invalid" -> invalid(system);
            case "system_disabled" -> "enabled = false in " + system + ", set by an administrator";
            case "global_config_invalid" -> invalid(c.globalConfig().toString());
            case "global_disabled" -> "enabled = false in " + c.globalConfig();
            case "project_config_invalid" -> invalid(project);
            case "project_disabled" -> "enabled = false in " + project;
            case "build_default_disabled" -> "this build is packaged with telemetry off and no file says enabled = true";
            default -> code;
        };
    }

    static String uploads(String code, EffectiveConfig c) {
        String origin = switch (c.endpointSource()) {
            case ENV -> "ROAR_TELEMETRY_ENDPOINT";
            case GLOBAL -> c.globalConfig().toString();
            case SYSTEM -> c.systemConfig().map(Path::toString).orElse("the system file");
            case PROJECT -> c.projectRestriction().or(c::projectConfig).map(Path::toString).orElse("the project file");
            case DEFAULT -> "this build's default";
        };
        if (code.equals("empty_endpoint")) {
            return switch (c.endpointSource()) {
                case ENV -> "ROAR_TELEMETRY_ENDPOINT is set and empty";
                case DEFAULT -> "this build has no default endpoint";
                default -> "endpoint = \"\" in " + origin;
            };
        }
        if (code.equals("invalid_endpoint")) {
            Optional<String> problem = EndpointRule.problem(c.endpoint());
            return "the endpoint from " + origin + " is not usable" + problem.map(p -> ": " + p).orElse("");
        }
        return code;
    }

    private static String invalid(String file) {
        return file + " cannot be used; telemetry stays off until it is fixed";
    }

    private static String valued(String name, Environment env) {
        return name + "=" + env.get(name).orElse("") + " is set";
    }
}

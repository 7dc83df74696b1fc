package ai.treqs.roar.telemetry.env;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** docs/telemetry.md#auto-suppression: the environment suppressions, first match wins. */
@ApplicationScoped
public class SuppressionDetector {

    static final List<String> CI_MARKERS = List.of("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "CIRCLECI",
            "TRAVIS", "APPVEYOR", "TEAMCITY_VERSION", "JENKINS_URL", "TF_BUILD", "BITBUCKET_BUILD_NUMBER",
            "CODEBUILD_BUILD_ID", "DRONE", "HEROKU_TEST_RUN_ID", "PYTEST_CURRENT_TEST");
    static final List<String> WORKER_MARKERS = List.of("RAY_JOB_ID", "OSMO_JOB_ID", "OSMO_WORKFLOW_ID");

    private final Iterable<BackendJobDetector> registered;

    @Inject
    public SuppressionDetector(Instance<BackendJobDetector> registered) {
        this.registered = registered;
    }

    /** Outside CDI (test drivers, tools): a fixed list of registered detectors. */
    public SuppressionDetector(List<BackendJobDetector> detectors) {
        this.registered = List.copyOf(detectors);
    }

    /** The first suppression reason that applies, e.g. {@code ci:GITHUB_ACTIONS}. */
    public Optional<String> detect(Environment env) {
        if (Truthy.test(env.get("DO_NOT_TRACK"))) {
            return Optional.of("do_not_track");
        }
        if (Truthy.test(env.get("ROAR_NO_TELEMETRY"))) {
            return Optional.of("roar_no_telemetry");
        }
        for (String marker : CI_MARKERS) {
            if (Truthy.test(env.get(marker))) {
                return Optional.of("ci:" + marker);
            }
        }
        if (Truthy.test(env.get("ROAR_JOB_INSTRUMENTED"))) {
            return Optional.of("roar_job_instrumented");
        }
        for (String marker : WORKER_MARKERS) {
            if (env.get(marker).isPresent()) {
                return Optional.of("backend_job_environment:" + marker);
            }
        }
        for (BackendJobDetector detector : registered) {
            if (asks(detector, env)) {
                return Optional.of("backend_job_environment:registered");
            }
        }
        return Optional.empty();
    }

    private static boolean asks(BackendJobDetector detector, Environment env) {
        try {
            return detector.isBackendJob(env);
        } catch (RuntimeException e) {
            return false;
        }
    }
}

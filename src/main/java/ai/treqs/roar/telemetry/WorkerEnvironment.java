package ai.treqs.roar.telemetry;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one API for every environment roar builds for a child, a Ray task or an OSMO task (docs/architecture.md#workerenvironment-switching-workers-off-from-the-driver,
 * propagation): when telemetry is off on the driver, the worker gets {@code ROAR_NO_TELEMETRY=1}, so
 * disabling on the driver disables on workers without per-worker config.
 *
 * <pre>{@code
 * Map<String, String> taskEnv = workerEnvironment.forWorker(Map.of("PYTHONPATH", path));
 * }</pre>
 */
@ApplicationScoped
public class WorkerEnvironment {
    public static final String OFF_SWITCH = "ROAR_NO_TELEMETRY";

    @Inject Telemetry telemetry;

    /** A copy of {@code base} plus the off switch when telemetry is off here. */
    public Map<String, String> forWorker(Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        if (telemetry.isOffHere()) {
            env.put(OFF_SWITCH, "1");
        }
        return env;
    }
}

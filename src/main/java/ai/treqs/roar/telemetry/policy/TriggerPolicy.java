package ai.treqs.roar.telemetry.policy;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/** docs/telemetry.md#when-events-are-made: which milestones a recorded command fires. Pure. */
@ApplicationScoped
public class TriggerPolicy {

    /** What the policy looks at, taken after the command's counters were applied. */
    public record Facts(boolean installCreated, boolean versionAlreadySeen, long runSuccessCount) {}

    public List<Trigger> fire(CommandOutcome outcome, Facts facts) {
        List<Trigger> fired = new ArrayList<>(3);
        if (facts.installCreated()) {
            fired.add(Trigger.FIRST_SEEN_FOR_INSTALL_ID);
        }
        if (!facts.versionAlreadySeen()) {
            fired.add(Trigger.FIRST_SEEN_FOR_VERSION);
        }
        if (outcome.run().filter(r -> r == RunOutcome.SUCCESS).isPresent()) {
            switch ((int) Math.min(facts.runSuccessCount(), 4)) {
                case 1 -> fired.add(Trigger.FIRST_SUCCESSFUL_ROAR_RUN);
                case 2 -> fired.add(Trigger.SECOND_SUCCESSFUL_ROAR_RUN);
                case 3 -> fired.add(Trigger.THIRD_SUCCESSFUL_ROAR_RUN);
                default -> { }
            }
        }
        if (!outcome.succeeded()) {
            return fired;
        }
        switch (outcome.command()) {
            case "init" -> fired.add(Trigger.INIT);
            case "reset" -> fired.add(Trigger.RESET);
            case "register" -> fired.add(Trigger.REGISTER);
            default -> { }
        }
        return fired;
    }
}

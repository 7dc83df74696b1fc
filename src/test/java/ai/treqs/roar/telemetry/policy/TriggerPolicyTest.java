package ai.treqs.roar.telemetry.policy;

import static ai.treqs.roar.telemetry.policy.Trigger.FIRST_SEEN_FOR_INSTALL_ID;
import static ai.treqs.roar.telemetry.policy.Trigger.FIRST_SEEN_FOR_VERSION;
import static ai.treqs.roar.telemetry.policy.Trigger.FIRST_SUCCESSFUL_ROAR_RUN;
import static ai.treqs.roar.telemetry.policy.Trigger.INIT;
import static ai.treqs.roar.telemetry.policy.Trigger.REGISTER;
import static ai.treqs.roar.telemetry.policy.Trigger.RESET;
import static ai.treqs.roar.telemetry.policy.Trigger.SECOND_SUCCESSFUL_ROAR_RUN;
import static ai.treqs.roar.telemetry.policy.Trigger.THIRD_SUCCESSFUL_ROAR_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import ai.treqs.roar.telemetry.policy.TriggerPolicy.Facts;

/** docs/telemetry.md#when-events-are-made: which milestones a finished command fires, in the table's order. */
class TriggerPolicyTest {
    private final TriggerPolicy policy = new TriggerPolicy();

    /** An install that has seen this version before. */
    private static Facts known(long runSuccess) {
        return new Facts(false, true, runSuccess);
    }

    @Test
    void theFirstCommandOfAnInstallFiresFirstSeenForInstallAndVersion() {
        assertEquals(List.of(FIRST_SEEN_FOR_INSTALL_ID, FIRST_SEEN_FOR_VERSION),
                policy.fire(CommandOutcome.succeeded("status"), new Facts(true, false, 0)));
    }

    @Test
    void theFirstCommandOfANewVersionFiresOnlyFirstSeenForVersion() {
        assertEquals(List.of(FIRST_SEEN_FOR_VERSION),
                policy.fire(CommandOutcome.succeeded("status"), new Facts(false, false, 0)));
    }

    @Test
    void anOrdinaryCommandOnAKnownVersionFiresNothing() {
        assertEquals(List.of(), policy.fire(CommandOutcome.succeeded("status"), known(0)));
        assertEquals(List.of(), policy.fire(CommandOutcome.failed("build"), known(7)));
    }

    static Stream<Arguments> successfulRuns() {
        return Stream.of(
                Arguments.of(1L, List.of(FIRST_SUCCESSFUL_ROAR_RUN)),
                Arguments.of(2L, List.of(SECOND_SUCCESSFUL_ROAR_RUN)),
                Arguments.of(3L, List.of(THIRD_SUCCESSFUL_ROAR_RUN)),
                Arguments.of(4L, List.of()),
                Arguments.of(100L, List.of()));
    }

    @ParameterizedTest(name = "run_success = {0} -> {1}")
    @MethodSource("successfulRuns")
    void onlyTheFirstThreeSuccessfulRunsAreMilestones(long runSuccess, List<Trigger> expected) {
        assertEquals(expected, policy.fire(CommandOutcome.run(RunOutcome.SUCCESS, "disabled"), known(runSuccess)));
    }

    @ParameterizedTest
    @EnumSource(value = RunOutcome.class, names = "SUCCESS", mode = EnumSource.Mode.EXCLUDE)
    void aFailedRunIsNoMilestoneWhateverTheCount(RunOutcome failure) {
        for (long count = 0; count <= 3; count++) {
            assertEquals(List.of(), policy.fire(CommandOutcome.run(failure, "disabled"), known(count)),
                    failure + " at run_success " + count);
        }
    }

    @Test
    void theVeryFirstSuccessfulRunOfAFreshInstallFiresThreeInTableOrder() {
        assertEquals(List.of(FIRST_SEEN_FOR_INSTALL_ID, FIRST_SEEN_FOR_VERSION, FIRST_SUCCESSFUL_ROAR_RUN),
                policy.fire(CommandOutcome.run(RunOutcome.SUCCESS, "auto"), new Facts(true, false, 1)));
    }

    static Stream<Arguments> hostCommands() {
        return Stream.of(Arguments.of("init", INIT), Arguments.of("reset", RESET), Arguments.of("register", REGISTER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostCommands")
    void initResetAndRegisterFireOnlyWhenTheySucceeded(String command, Trigger trigger) {
        assertEquals(List.of(trigger), policy.fire(CommandOutcome.succeeded(command), known(0)));
        assertEquals(List.of(), policy.fire(CommandOutcome.failed(command), known(0)));
        assertEquals(List.of(FIRST_SEEN_FOR_INSTALL_ID, FIRST_SEEN_FOR_VERSION, trigger),
                policy.fire(CommandOutcome.succeeded(command), new Facts(true, false, 0)));
        assertEquals(List.of(FIRST_SEEN_FOR_INSTALL_ID, FIRST_SEEN_FOR_VERSION),
                policy.fire(CommandOutcome.failed(command), new Facts(true, false, 0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "build", "show", "python train.py", "INIT", "init ", "preview"})
    void otherCommandNamesFireNoCommandMilestone(String command) {
        assertEquals(List.of(), policy.fire(CommandOutcome.succeeded(command), known(2)));
    }

    @Test
    void theTriggerTableOrderAndWireNamesMatchTheDocs() {
        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "first_successful_roar_run",
                        "second_successful_roar_run", "third_successful_roar_run", "init", "reset", "register", "preview"),
                Stream.of(Trigger.values()).map(Trigger::wireName).toList());
        assertFalse(Trigger.PREVIEW.isUploadable());
        assertTrue(Trigger.INIT.isUploadable());
        assertEquals(Optional.of(Trigger.RESET), Trigger.fromWireName("reset"));
        assertEquals(Optional.empty(), Trigger.fromWireName("RESET"));
    }

    @Test
    void runOutcomeCounterNamesAreTheDocumentedOnes() {
        assertEquals(List.of("run_success", "run_failed_dirty", "run_failed_tracer_setup", "run_failed_user_exit",
                        "run_failed_interrupted", "run_failed_internal"),
                Stream.of(RunOutcome.values()).map(RunOutcome::counterName).toList());
    }
}

package ai.treqs.roar.telemetry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.MachineFacts;
import ai.treqs.roar.telemetry.env.Terminal;
import ai.treqs.roar.telemetry.env.UserMessages;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.payload.Allowlist;
import ai.treqs.roar.telemetry.payload.Capabilities;
import ai.treqs.roar.telemetry.payload.PayloadBuilder;
import ai.treqs.roar.telemetry.payload.Platform;
import ai.treqs.roar.telemetry.policy.CommandOutcome;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.policy.TriggerPolicy;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.Stats;
import ai.treqs.roar.telemetry.stats.StatsStore;
import ai.treqs.roar.telemetry.stats.TelemetryState;
import ai.treqs.roar.telemetry.upload.LastAttempt;
import ai.treqs.roar.telemetry.upload.UploadStarter;

/**
 * The facade host commands call when they finish, and the one place where telemetry failures are
 * caught (docs/architecture.md#the-fail-quiet-boundary): whatever goes wrong here, the user's command behaves as with telemetry off.
 */
@ApplicationScoped
public class Telemetry {
    private static final Logger LOG = Logger.getLogger(Telemetry.class);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofHours(1);
    /** Both first-seen milestones and one command milestone. */
    private static final int MAX_TRIGGERS_PER_COMMAND = 3;

    private final ConfigLoader configLoader;
    private final StatsStore statsStore;
    private final EventQueue queue;
    private final TriggerPolicy policy;
    private final Terminal terminal;
    private final Clock clock;
    private final UploadStarter uploadStarter;
    private final UserMessages messages;

    private boolean uploaderStarted;

    @Inject
    public Telemetry(ConfigLoader configLoader, StatsStore statsStore, EventQueue queue, TriggerPolicy policy,
                     Terminal terminal, Clock clock, UploadStarter uploadStarter, UserMessages messages) {
        this.configLoader = configLoader;
        this.statsStore = statsStore;
        this.queue = queue;
        this.policy = policy;
        this.terminal = terminal;
        this.clock = clock;
        this.uploadStarter = uploadStarter;
        this.messages = messages;
    }

    /** Records a finished command: counters, milestones, queue, and maybe a background upload. Never throws. */
    public Recording record(CommandOutcome outcome) {
        try {
            return recordOrSkip(outcome);
        } catch (Exception | LinkageError | StackOverflowError e) {
            LOG.debugf(e, "telemetry skipped for %s", outcome.command());
            return new Recording.Failed(e.getClass().getSimpleName());
        }
    }

    /** The configuration a command run here would see; for the off-switch of child environments. */
    public boolean isOffHere() {
        try {
            return !configLoader.forCommand().statsEnabled();
        } catch (RuntimeException e) {
            LOG.debug("telemetry config unreadable; treated as off", e);
            return true;
        }
    }

    private Recording recordOrSkip(CommandOutcome outcome) throws IOException {
        EffectiveConfig config = configLoader.forCommand();
        if (!config.statsEnabled()) {
            return new Recording.Skipped(config.suppression().or(config::disabledReason).orElse("disabled"));
        }
        RoarPaths paths = configLoader.paths();
        if (TelemetryState.notOurs(paths).isPresent()) {
            return new Recording.Skipped("state_not_ours"); // --status says which path and why
        }
        boolean noticeShown = Disclosure.showOnce(paths, terminal.stderrIsInteractive(), messages);
        String version = configLoader.build().version();
        MachineFacts machine = MachineFacts.probe();
        Platform platform = Platform.of(machine.osName(), machine.osArch());
        Map<String, Object> capabilities = Capabilities.of(config, configLoader.productionEndpoint(), platform,
                machine.blake3OnClassPath(), machine.kernelBtf());
        Instant now = clock.instant();
        Deque<String> eventIds = warmUpOutsideTheLock(paths);

        List<String> queued = new ArrayList<>();
        // "still on" is asked again under the stats lock, and the events are queued under it: a --disable
        // waiting for that lock deletes them, and one that ran meanwhile is not undone (docs/telemetry.md#opt-out-controls)
        StatsStore.Update<List<PendingEvent>> update = statsStore.update(paths, () -> configLoader.forCommand().statsEnabled(),
                (stats, created) -> {
            count(stats, outcome);
            boolean versionSeen = stats.knowsVersion(version);
            if (!versionSeen) {
                stats.addVersion(version, now);
            }
            stats.setFeatureCapabilities(capabilities);
            List<Trigger> fired = policy.fire(outcome,
                    new TriggerPolicy.Facts(created, versionSeen, stats.subcommandCount("run_success")));
            List<PendingEvent> events = new ArrayList<>(fired.size());
            for (Trigger trigger : fired) {
                long sequence = stats.nextSequence();
                String eventId = eventIds.isEmpty() ? PayloadBuilder.newEventId() : eventIds.pop();
                events.add(new PendingEvent(trigger, eventId,
                        PayloadBuilder.build(stats, trigger, sequence, eventId, now, version, platform)));
            }
            return events;
        }, events -> {
            if (!config.uploadsEnabled()) {
                return;
            }
            // the payload was built from the same stats snapshot for every trigger of this command
            List<EventQueue.Event> bodies = events.stream()
                    .map(e -> new EventQueue.Event(e.eventId(), Json.write(e.payload()))).toList();
            for (EventQueue.Enqueued enqueued : queue.enqueueAll(paths.queueDir(), bodies)) {
                if (enqueued instanceof EventQueue.Enqueued.Written written) {
                    String name = written.file().getFileName().toString();
                    queued.add(name.substring(0, name.length() - EventQueue.SUFFIX.length()));
                }
            }
        });

        if (update instanceof StatsStore.Update.LockBusy) {
            return new Recording.Skipped("stats_lock_busy");
        }
        if (update instanceof StatsStore.Update.NewerSchema) {
            return new Recording.Skipped("stats_schema_newer");
        }
        if (update instanceof StatsStore.Update.SwitchedOff) {
            return new Recording.Skipped("disabled_meanwhile");
        }
        List<PendingEvent> events = ((StatsStore.Update.Applied<List<PendingEvent>>) update).result();
        boolean started = !noticeShown && config.uploadsEnabled() && shouldStartUploader(paths, !queued.isEmpty(), now)
                && startUploaderOnce();
        return new Recording.Recorded(events.stream().map(e -> e.trigger().wireName()).toList(), queued, started, noticeShown);
    }

    /**
     * The first event id (SecureRandom seeding) and the first stats read (loading the JSON and stats
     * classes) are slow once per JVM. Both are done here, before the stats lock, so that other roar
     * processes wait only for this one's read-modify-write, not for its class loading (docs/telemetry.md#where-state-lives: stats.lock).
     * The read's result is thrown away: the update reads the file again under the lock. The ids are
     * the ones the update uses, one per trigger (at most {@value #MAX_TRIGGERS_PER_COMMAND}).
     */
    private Deque<String> warmUpOutsideTheLock(RoarPaths paths) {
        Deque<String> eventIds = new ArrayDeque<>();
        for (int i = 0; i < MAX_TRIGGERS_PER_COMMAND; i++) {
            eventIds.add(PayloadBuilder.newEventId());
        }
        statsStore.read(paths);
        return eventIds;
    }

    private record PendingEvent(Trigger trigger, String eventId, Map<String, Object> payload) {}

    private static void count(Stats stats, CommandOutcome outcome) {
        if (Allowlist.SUBCOMMANDS.contains(outcome.command())) {
            stats.incrementSubcommand(outcome.command());
        }
        outcome.run().ifPresent(run -> stats.incrementSubcommand(run.counterName()));
        outcome.tracer().ifPresent(tracer -> stats.incrementTracer(Allowlist.TRACERS.contains(tracer) ? tracer : "unknown"));
    }

    /**
     * docs/telemetry.md#when-the-uploader-starts: after queueing, unless the last attempt failed within the hour; or for events already
     * waiting when the last attempt is more than an hour old. A down endpoint costs one start an hour.
     */
    private boolean shouldStartUploader(RoarPaths paths, boolean queuedNow, Instant now) {
        var last = LastAttempt.read(paths.lastAttempt());
        boolean recent = last.map(a -> a.within(RETRY_AFTER_FAILURE, now)).orElse(false);
        if (queuedNow) {
            return !(recent && last.get().failed());
        }
        return !recent && queue.hasAny(paths.queueDir());
    }

    private boolean startUploaderOnce() {
        if (uploaderStarted) {
            return false;
        }
        uploaderStarted = true;
        return uploadStarter.start();
    }
}

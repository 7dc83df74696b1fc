package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * The upload figures of docs/performance.md, measured through the packaged program ({@code java -jar} with the
 * default JIT, and the {@code target/roar} launcher when the build made one) and printed as a table. Nothing here asserts a time: the machine is
 * shared and noisy; the targets in docs/performance.md are ratios read off this output.
 */
@ExtendWith(AwaitUploaders.class)
class UploadFiguresIT {
    private static final int EVENTS = 1000;
    private static final int REPEATS = 5;

    @TempDir Path root;

    @Test
    void uploaderThroughputAndTheCostOfTelemetryOnARun() throws Exception {
        List<String> table = new ArrayList<>();

        // 1. the uploader draining 1,000 events to a loopback 204 collector
        RoarProcess roar = new RoarProcess(root.resolve("drain")).env(E2e.ENDPOINT_VARIABLE, E2e.refusingUrl());
        QueueSeeds.fillQueue(roar, EVENTS);
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            roar.env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            List<Long> statusWalls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statusWalls.add(roar.run("telemetry", "--status").wall().toMillis());
            }
            long status = E2e.median(statusWalls);
            RoarProcess.Result flush = roar.run("telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stderr());
            Matcher uploaded = Pattern.compile("^Uploaded (\\d+)").matcher(flush.stdout());
            int sent = uploaded.find() ? Integer.parseInt(uploaded.group(1)) : 0;
            long drain = Math.max(1, flush.wall().toMillis() - status);
            List<Long> arrivals = collector.arrivals();
            double firstToLast = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e6;
            table.add(row("roar telemetry --status (median of 3, baseline)", status + " ms", ""));
            table.add(row("roar telemetry --flush, " + EVENTS + " queued", flush.wall().toMillis() + " ms",
                    "\"" + flush.stdout().strip() + "\""));
            table.add(row("  drain = flush - status", drain + " ms",
                    sent + " events, " + collector.requests().size() + " requests, " + collector.connections() + " connection(s)"));
            table.add(row("  throughput, flush - status", String.format("%,.0f events/s", sent * 1000.0 / drain), ""));
            table.add(row("  first POST to last POST (collector clock)", String.format("%.0f ms", firstToLast),
                    String.format("%,.0f events/s; target >= 3,000 events/s",
                            (arrivals.size() - 1) * 1000.0 / Math.max(1, firstToLast))));
            assertEquals(EVENTS, sent, flush.stdout());
        }

        // 2. roar run -- true, telemetry on (loopback 204 collector) against DO_NOT_TRACK=1, interleaved
        runCost(table, RoarProcess.isNative() ? "native executable" : "java -jar", dir -> new RoarProcess(dir));
        if (!RoarProcess.isNative() && Files.isExecutable(RoarProcess.launcherScript())) {
            runCost(table, "target/roar", dir -> new RoarProcess(dir).launcher(RoarProcess.launcherScript()));
        }

        StringBuilder out = new StringBuilder("\n=== roar upload figures (" + Runtime.getRuntime().availableProcessors()
                + " cores, JDK " + System.getProperty("java.version") + ") ===\n");
        table.forEach(line -> out.append(line).append('\n'));
        System.out.println(out);
    }

    private void runCost(List<String> table, String how, Install install) throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess on = install.at(root.resolve("on-" + table.size())).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            RoarProcess off = install.at(root.resolve("off-" + table.size())).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH))
                    .env("DO_NOT_TRACK", "1");
            long firstOn = on.run("run", "--", "true").wall().toMillis(); // stats created, 3 events queued, uploader started
            off.run("run", "--", "true");
            List<Long> onWalls = new ArrayList<>();
            List<Long> offWalls = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                RoarProcess.Result a = on.run("run", "--", "true");
                RoarProcess.Result b = off.run("run", "--", "true");
                assertEquals(0, a.exitCode(), a.stderr());
                assertEquals(0, b.exitCode(), b.stderr());
                onWalls.add(a.wall().toMillis());
                offWalls.add(b.wall().toMillis());
            }
            long medianOn = E2e.median(onWalls);
            long medianOff = E2e.median(offWalls);
            table.add(row("roar run -- true (" + how + "), first run of an install", firstOn + " ms",
                    "queues 3 events, starts the uploader"));
            table.add(row("roar run -- true (" + how + "), telemetry on", medianOn + " ms",
                    "median of runs 2-" + (REPEATS + 1) + " (2, 3 queue a milestone) " + onWalls));
            table.add(row("roar run -- true (" + how + "), DO_NOT_TRACK=1", medianOff + " ms", "median " + offWalls));
            table.add(row("  on / off", String.format("%.2f", (double) medianOn / medianOff), "target <= 1.05"));
        }
    }

    private interface Install {
        RoarProcess at(Path dir) throws Exception;
    }

    private static String row(String what, String value, String note) {
        return String.format("%-52s %16s   %s", what, value, note);
    }
}

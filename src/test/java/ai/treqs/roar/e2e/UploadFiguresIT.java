package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * The figures issue 3 asks for, measured through the packaged program with the plain launcher
 * ({@code java -jar}, default JIT) and printed as a table. Nothing here asserts a time: the machine is
 * shared and noisy; the contract's targets are ratios read off this output.
 */
class UploadFiguresIT {
    private static final int EVENTS = 1000;
    private static final int REPEATS = 5;

    @TempDir Path root;

    @Test
    void uploaderThroughputAndTheCostOfTelemetryOnARun() throws Exception {
        List<String> table = new ArrayList<>();

        // 1. the uploader draining 1,000 events to a loopback 204 collector
        RoarProcess roar = new RoarProcess(root.resolve("drain")).env(E2e.ENDPOINT_VARIABLE, "");
        E2e.seedQueue(roar, EVENTS);
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
            table.add(row("roar telemetry --status (median of 3, baseline)", status + " ms", ""));
            table.add(row("roar telemetry --flush, " + EVENTS + " queued", flush.wall().toMillis() + " ms",
                    "\"" + flush.stdout().strip() + "\""));
            table.add(row("  drain = flush - status", drain + " ms",
                    sent + " events, " + collector.requests().size() + " requests, " + collector.connections() + " connection(s)"));
            table.add(row("  uploader throughput", String.format("%,.0f events/s", sent * 1000.0 / drain),
                    "contract §12 target >= 3,000 events/s"));
            assertEquals(EVENTS, sent, flush.stdout());
        }

        // 2. roar run -- true, telemetry on (loopback 204 collector) against DO_NOT_TRACK=1, interleaved
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess on = new RoarProcess(root.resolve("on")).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            RoarProcess off = new RoarProcess(root.resolve("off")).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH))
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
            table.add(row("roar run -- true, first run of an install", firstOn + " ms", "queues 3 events, starts the uploader"));
            table.add(row("roar run -- true, telemetry on (median of " + REPEATS + ")", medianOn + " ms",
                    "runs 2-6: records, queues on runs 2-3 " + onWalls));
            table.add(row("roar run -- true, DO_NOT_TRACK=1 (median of " + REPEATS + ")", medianOff + " ms", offWalls.toString()));
            table.add(row("  on / off", String.format("%.2f", (double) medianOn / medianOff), "contract §12 target <= 1.05"));
        }

        StringBuilder out = new StringBuilder("\n=== roar upload figures (" + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("java.version") + ", java -jar) ===\n");
        table.forEach(line -> out.append(line).append('\n'));
        System.out.println(out);
    }

    private static String row(String what, String value, String note) {
        return String.format("%-52s %16s   %s", what, value, note);
    }
}

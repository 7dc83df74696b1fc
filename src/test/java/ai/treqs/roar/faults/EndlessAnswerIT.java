package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/security.md#the-network: a collector that answers {@code 200} and then
 * streams a body for ever (announced as 100 GB, or chunked) must not make {@code --flush} gather it: with a
 * small heap the flush still ends within one request deadline, prints nothing on stderr (no
 * {@code OutOfMemoryError}, no framework log line) and keeps every event.
 */
class EndlessAnswerIT {
    @TempDir Path root;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anEndlessAnswerIsCutAndTheEventsStayQueued() throws Exception {
        for (Collector.Behaviour endless : new Collector.Behaviour[] {Collector.Behaviour.ENDLESS_200,
                Collector.Behaviour.ENDLESS_CHUNKED_200}) {
            try (Collector collector = new Collector(endless)) {
                RoarProcess roar = Faults.install(root.resolve(endless.name()), collector.url("/t"));
                if (!RoarProcess.isNative()) {
                    roar.jvmOption("-Xmx48m"); // what a small heap makes of a gathered body: an OutOfMemoryError
                }
                Map<String, byte[]> planted = Faults.plantGoodEvents(roar, 3, Instant.now().minusSeconds(60));
                RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
                RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");

                Faults.assertNoStackTrace(flush, endless + " --flush");
                assertEquals(0, flush.exitCode(), flush.stderr());
                assertEquals("", flush.stderr(), endless + ": nothing on stderr");
                assertTrue(flush.stdout().contains("(stopped: the collector's answer was longer than 64 KiB)"), flush.stdout());
                assertEquals(planted.keySet(), Faults.queued(roar).keySet(), endless + ": every event kept");
                assertEquals(1, collector.requests().size(), endless + ": a cut answer ends the run like a dropped connection");
                // one request deadline (5 s) at most, beside a JVM start: never the minutes a gathered body takes
                Duration bound = status.wall().plusSeconds(9);
                assertTrue(flush.wall().compareTo(bound) < 0, endless + ": --flush took " + flush.wall() + ", --status " + status.wall());
                Results.row("network: 200 with an endless body (" + endless + ")", 3,
                        "--flush " + Faults.seconds(flush.wall()) + " vs --status " + Faults.seconds(status.wall())
                                + ": \"" + flush.stdout().strip() + "\"", 0, 0);
            }
        }
    }
}

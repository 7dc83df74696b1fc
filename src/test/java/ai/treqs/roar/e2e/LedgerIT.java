package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/** docs/proxies-and-ledger.md#what-was-sent-the-upload-ledger: the upload ledger {@code sent.jsonl} and {@code roar telemetry --history}, from the built CLI. */
@ExtendWith(AwaitUploaders.class)
class LedgerIT {
    private static final String PATH = "/api/v1/telemetry/roar";
    /** A ledger line as the one serialiser writes it: keys sorted, so body, endpoint, sent_at. */
    private static final Pattern LINE = Pattern.compile(
            "\\{\"body\":(\\{.*\\}),\"endpoint\":\"([^\"]*)\",\"sent_at\":\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)\"\\}");

    @TempDir Path root;
    private Collector collector;
    private RoarProcess roar;

    @BeforeEach
    void install() throws Exception {
        collector = new Collector(Collector.Behaviour.NO_CONTENT);
        // user info is not allowed in an endpoint (docs/configuration.md#keys), a query is: the ledger shows neither
        roar = new RoarProcess(root).env("ROAR_TELEMETRY_ENDPOINT", collector.url(PATH) + "?tenant=secret-query");
    }

    @AfterEach
    void stop() throws Exception {
        collector.close();
    }

    private Path ledger() {
        return roar.cache().resolve("sent.jsonl");
    }

    @Test
    void afterARealUploadTheLedgerHoldsExactlyTheBodiesTheCollectorReceived() throws Exception {
        QueueSeeds.queueThreeByInit(roar);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        QueueSeeds.Flushed flushed = QueueSeeds.flushUntilDelivered(roar);
        assertEquals(3, flushed.uploaded(), flushed.lastSummary());

        // event id -> body; several POSTs are in flight at once, so arrival order is not asserted
        Map<String, String> received = new HashMap<>();
        for (Collector.Request request : collector.requests()) {
            received.putIfAbsent(eventId(request.bodyText()), request.bodyText());
        }
        List<String> lines = Files.readAllLines(ledger(), StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(received.keySet(), lines.stream().map(LedgerIT::eventId).collect(Collectors.toSet()));
        for (int i = 0; i < 3; i++) {
            Matcher m = LINE.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(received.get(eventId(lines.get(i))), m.group(1), "the body, byte for byte");
            assertEquals(collector.url(PATH), m.group(2), "endpoint without query");
            Instant sentAt = Instant.parse(m.group(3));
            assertFalse(sentAt.isBefore(before), sentAt + " before " + before);
            assertFalse(sentAt.isAfter(Instant.now()));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ledger())));
        assertFalse(Files.readString(ledger()).contains("secret-query"));
    }

    @Test
    void historyListsWhatWasSentNewestFirstAndJsonPrintsTheLedgerLines() throws Exception {
        List<String> ids = QueueSeeds.fillQueue(roar, 3);
        assertEquals(3, QueueSeeds.flushUntilDelivered(roar).uploaded());

        RoarProcess.Result history = roar.run("telemetry", "--history");
        assertEquals(0, history.exitCode(), history.stderr());
        List<String> shown = history.stdout().lines().toList();
        assertEquals(3, shown.size(), history.stdout());
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        for (int i = 0; i < 3; i++) {
            assertTrue(shown.get(i).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  init  "
                    + Pattern.quote(newestFirst.get(i))), shown.get(i));
        }

        RoarProcess.Result json = roar.run("telemetry", "--history", "--json");
        assertEquals(0, json.exitCode(), json.stderr());
        List<String> ledgerLines = new ArrayList<>(Files.readAllLines(ledger(), StandardCharsets.UTF_8));
        java.util.Collections.reverse(ledgerLines);
        assertEquals(String.join("\n", ledgerLines) + "\n", json.stdout(), "the ledger's own lines, newest first");
    }

    @Test
    void historyOfAnInstallThatSentNothingSaysSoAndCreatesNothing() throws Exception {
        RoarProcess.Result history = roar.run("telemetry", "--history");
        assertEquals(0, history.exitCode(), history.stderr());
        assertEquals("(nothing sent yet)\n", history.stdout());
        RoarProcess.Result json = roar.run("telemetry", "--history", "--json");
        assertEquals(0, json.exitCode(), json.stderr());
        assertEquals("", json.stdout());
        assertFalse(Files.exists(root.resolve("cache")), "--history creates nothing");
        assertFalse(Files.exists(root.resolve("config")), "--history creates nothing");
    }

    @Test
    void answersOtherThan204AddNothingToTheLedger() throws Exception {
        QueueSeeds.queueThreeByInit(roar);
        for (Collector.Behaviour answer : List.of(Collector.Behaviour.OK_200, Collector.Behaviour.SERVER_ERROR_500,
                Collector.Behaviour.TOO_MANY_429, Collector.Behaviour.REDIRECT_301)) {
            collector.answer(answer);
            int offered = collector.requests().size();
            RoarProcess.Result flush = roar.run("telemetry", "--flush");
            assertTrue(flush.stdout().startsWith("Uploaded 0, kept 3"), answer + ": " + flush.stdout());
            assertTrue(collector.requests().size() > offered, answer + ": nothing was offered");
            assertFalse(Files.exists(ledger()), answer + " wrote a ledger");
        }
        assertEquals(3, QueueSeeds.queued(roar).size());
        RoarProcess.Result history = roar.run("telemetry", "--history");
        assertEquals("(nothing sent yet)\n", history.stdout());
    }

    @Test
    void hundredFiftyUploadsLeaveTheNewestHundredLines() throws Exception {
        List<String> ids = QueueSeeds.fillQueue(roar, 150);

        QueueSeeds.Flushed flushed = QueueSeeds.flushUntilDelivered(roar);
        assertEquals(150, flushed.uploaded(), flushed.lastSummary());
        assertEquals(Set.copyOf(ids), Set.copyOf(QueueSeeds.distinctEventIds(collector.requests())));

        List<String> lines = Files.readAllLines(ledger(), StandardCharsets.UTF_8);
        assertEquals(100, lines.size());
        assertEquals(ids.subList(50, 150), lines.stream().map(LedgerIT::eventId).toList(), "the newest 100, oldest first");
        assertEquals(100, roar.run("telemetry", "--history").stdout().lines().count());
    }

    @Test
    void linesOlderThanThirtyDaysAreDroppedOnTheNextWrite() throws Exception {
        List<String> ids = QueueSeeds.fillQueue(roar, 1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String old = ledgerLine("old-event", now.minus(31, ChronoUnit.DAYS));
        String recent = ledgerLine("recent-event", now.minus(29, ChronoUnit.DAYS));
        seedLedger(List.of(old, recent));
        assertEquals(2, roar.run("telemetry", "--history").stdout().lines().count(), "read as they are until the next write");

        assertEquals(1, QueueSeeds.flushUntilDelivered(roar).uploaded());

        List<String> lines = Files.readAllLines(ledger(), StandardCharsets.UTF_8);
        assertEquals(List.of("recent-event", ids.get(0)), lines.stream().map(LedgerIT::eventId).toList());
        assertEquals(recent, lines.get(0), "kept lines are kept byte for byte");
    }

    @Test
    void disableReplacesTheLedgerByOneLineWithoutIdentifiers() throws Exception {
        QueueSeeds.queueThreeByInit(roar);
        assertEquals(3, QueueSeeds.flushUntilDelivered(roar).uploaded());
        assertTrue(Files.exists(ledger()));

        RoarProcess.Result disable = roar.run("telemetry", "--disable");
        assertEquals(0, disable.exitCode(), disable.stderr());
        List<String> lines = Files.readAllLines(ledger(), StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"disabled_at\"") && lines.get(0).contains("\"sent\":3"), lines.get(0));
        assertFalse(lines.get(0).contains("event_id") || lines.get(0).contains("install_id"), lines.get(0));
        assertTrue(roar.run("telemetry", "--history").stdout().startsWith("Telemetry disabled at "));
    }

    private void seedLedger(List<String> lines) throws Exception {
        Files.createDirectories(ledger().getParent());
        Files.writeString(ledger(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private String ledgerLine(String eventId, Instant sentAt) {
        return "{\"body\":{\"event_id\":\"" + eventId + "\",\"trigger\":\"init\"},\"endpoint\":\"" + collector.url(PATH)
                + "\",\"sent_at\":\"" + sentAt + "\"}";
    }

    private static String eventId(String line) {
        return QueueSeeds.eventId(line);
    }
}

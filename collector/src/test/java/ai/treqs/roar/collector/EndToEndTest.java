package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The real CLI jar in a fresh HOME pointed at this collector: {@code roar init}, three successful
 * {@code roar run}s, {@code roar telemetry --flush}. The summary shows the install once in every funnel step, and
 * the CLI's ledger holds exactly the stored rows.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class EndToEndTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path CLI = REPO.resolve("target/quarkus-app/quarkus-run.jar");

    @Inject AgroalDataSource db;
    @TestHTTPResource(Events.PATH) URL endpoint;
    @TempDir Path root;

    @Test
    void theRealCliReachesEveryFunnelStepOnceAndItsLedgerMatchesTheRows() throws Exception {
        buildCliIfAbsent();
        Events.truncate(db);
        Path work = Files.createDirectories(root.resolve("work"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", Files.createDirectories(root.resolve("home")).toString());
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        env.put("XDG_DATA_HOME", root.resolve("data").toString());
        env.put("XDG_STATE_HOME", root.resolve("state").toString());
        env.put("XDG_CONFIG_DIRS", root.resolve("etc-xdg").toString());
        env.put("LANG", "C.UTF-8");
        env.put("ROAR_TELEMETRY_ENDPOINT", endpoint.toString().replace("localhost", "127.0.0.1"));

        roar(env, work, "init");
        for (int i = 0; i < 3; i++) {
            roar(env, work, "run", "--", "true");
        }
        Path queue = root.resolve("cache/roar/telemetry/queue");
        for (int i = 0; i < 5 && queued(queue) > 0; i++) {
            String flushed = roar(env, work, "telemetry", "--flush");
            assertTrue(flushed.startsWith("Uploaded "), flushed);
        }
        assertEquals(0, queued(queue), "the queue is empty after --flush");

        Map<String, JsonNode> rows = rows();
        assertEquals(6, rows.size(), rows.keySet().toString());
        Map<String, JsonNode> ledger = new TreeMap<>();
        Path sent = root.resolve("cache/roar/telemetry/sent.jsonl");
        for (String line : Files.readAllLines(sent, StandardCharsets.UTF_8)) {
            JsonNode body = Events.MAPPER.readTree(line).get("body");
            ledger.put(body.get("event_id").asText(), body);
        }
        assertEquals(rows, ledger, "the ledger holds exactly the stored events, value for value");

        JsonPath s = given().header("Authorization", "Bearer test-read-token").get("/api/v1/telemetry/roar/summary")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(1, s.getInt("installs_seen"));
        assertEquals(List.of(1, 1, 1, 1, 1), s.getList("funnel.installs"), s.prettify());
        assertEquals(Map.of("first_seen_for_install_id", 1, "first_seen_for_version", 1, "init", 1,
                "first_successful_roar_run", 1, "second_successful_roar_run", 1, "third_successful_roar_run", 1),
                s.getMap("events_by_trigger"));
    }

    private static long queued(Path queue) throws IOException {
        if (!Files.isDirectory(queue)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(queue)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        }
    }

    private Map<String, JsonNode> rows() throws Exception {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id, payload::text FROM events")) {
            while (rs.next()) {
                rows.put(rs.getString(1), Events.MAPPER.readTree(rs.getString(2)));
            }
        }
        return rows;
    }

    private String roar(Map<String, String> env, Path cwd, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-jar",
                CLI.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "roar " + String.join(" ", args) + " finished");
        String stdout = Files.readString(out);
        assertEquals(0, p.exitValue(), "roar " + String.join(" ", args) + ": " + stdout + Files.readString(err));
        return stdout;
    }

    /** In CI the root build made the jar already; alone, build it (tests skipped) like the root build would. */
    private static void buildCliIfAbsent() throws Exception {
        if (Files.isRegularFile(CLI)) {
            return;
        }
        Process p = new ProcessBuilder(REPO.resolve("mvnw").toString(), "-B", "-q", "package", "-DskipTests",
                "-Droar.launcher.skip=true").directory(REPO.toFile()).inheritIO().start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the CLI's build finished");
        assertEquals(0, p.exitValue(), "the CLI's build");
    }
}

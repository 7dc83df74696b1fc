package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/security.md#configuration-comes-from-three-places-only: nothing in the working directory is configuration except the project file. A cloned
 * repository plants {@code .env}, {@code config/application.properties} and {@code config/application.yaml}
 * with Quarkus keys for a log file, a REST client proxy, TLS trust-all and a REST client URL, and the same
 * keys arrive as inherited {@code QUARKUS_*} variables: roar runs as in a clean directory.
 */
class WorkingDirectoryConfigIT {
    private static final String PATH = "/api/v1/telemetry/roar";

    @TempDir Path root;

    @Test
    void plantedFrameworkConfigurationChangesNothing() throws Exception {
        try (Collector real = new Collector(Collector.Behaviour.NO_CONTENT);
             Collector plantedProxy = new Collector(Collector.Behaviour.NO_CONTENT);
             Collector plantedUrl = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess clean = new RoarProcess(root.resolve("clean")).env("ROAR_TELEMETRY_ENDPOINT", real.url(PATH));
            RoarProcess hostile = new RoarProcess(root.resolve("hostile")).env("ROAR_TELEMETRY_ENDPOINT", real.url(PATH));
            Path log = hostile.root().resolve("planted.log");
            plant(hostile.workDir(), log, plantedProxy.port(), plantedUrl.url(PATH));
            // the same keys inherited from the environment are not configuration either (docs/configuration.md#environment-variables names them)
            hostile.env("QUARKUS_LOG_FILE_ENABLED", "true").env("QUARKUS_LOG_FILE_PATH", log + ".env")
                    .env("QUARKUS_LOG_LEVEL", "DEBUG").env("QUARKUS_BANNER_ENABLED", "true")
                    .env("QUARKUS_REST_CLIENT_PROXY_ADDRESS", "127.0.0.1:" + plantedProxy.port())
                    .env("QUARKUS_PROFILE", "dev");

            for (String[] command : List.of(new String[] {"--version"}, new String[] {"telemetry", "--status"},
                    new String[] {"telemetry", "--status", "--json"})) {
                RoarProcess.Result a = clean.run(command);
                RoarProcess.Result b = hostile.run(command);
                assertEquals(a.exitCode(), b.exitCode(), String.join(" ", command));
                assertEquals(anonymous(a.stdout(), clean), anonymous(b.stdout(), hostile), String.join(" ", command));
                assertEquals(anonymous(a.stderr(), clean), anonymous(b.stderr(), hostile), String.join(" ", command));
                assertEquals("", b.stderr(), "no framework line reaches the user: " + String.join(" ", command));
            }

            // uploads still reach the configured collector, and only it
            QueueSeeds.queueThreeByInit(hostile);
            assertEquals(3, QueueSeeds.flushUntilDelivered(hostile).uploaded());
            assertEquals(3, QueueSeeds.distinctEventIds(real.requests()).size());
            assertEquals(0, plantedProxy.connections(), "the planted proxy was never contacted");
            assertEquals(0, plantedUrl.connections(), "the planted REST client URL was never contacted");
            try (Stream<Path> files = Files.walk(hostile.root())) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("planted")).toList(),
                        "no log file was written");
            }
        }
    }

    /**
     * docs/configuration.md#the-project-file: a repository cloned into a directory whose project file says
     * {@code enabled = false} brings its own {@code .roar/config.toml} (a comment only, or {@code endpoint = ""} in
     * the workspace): the nearest file used to be the only one read, and the workspace's opt-out vanished inside the
     * clone. Every project file of the user's from the working directory up restricts; --status names both.
     */
    @Test
    void aClonedRepositorysProjectFileDoesNotCancelTheRestrictionsAroundIt() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = new RoarProcess(root).env("ROAR_TELEMETRY_ENDPOINT", collector.url(PATH));
            Path workspace = roar.workDir();
            Path clone = workspace.resolve("cloned/src");
            Files.createDirectories(workspace.resolve(".roar"));
            Files.createDirectories(clone);
            Files.createDirectories(workspace.resolve("cloned/.roar"));
            Files.writeString(workspace.resolve(".roar/config.toml"), "[telemetry]\nenabled = false\n");
            Files.writeString(workspace.resolve("cloned/.roar/config.toml"), "# roar project configuration.\n");

            RoarProcess.Result status = roar.cwd(clone).run("telemetry", "--status");
            assertEquals(0, status.exitCode(), status.stderr());
            assertTrue(status.stdout().startsWith("Telemetry: disabled\n"), status.stdout());
            assertTrue(status.stdout().contains("Disabled reason: project_disabled (enabled = false in "
                    + workspace.resolve(".roar/config.toml") + ")\n"), status.stdout());
            assertTrue(status.stdout().contains("Project config: " + workspace.resolve("cloned/.roar/config.toml")
                    + " (restricted by " + workspace.resolve(".roar/config.toml") + ")\n"), status.stdout());
            RoarProcess.Result run = roar.run("run", "--allow-dirty", "--", "true");
            assertEquals(0, run.exitCode(), run.stderr());

            // endpoint = "" around the clone forbids uploads from it as well
            Files.writeString(workspace.resolve(".roar/config.toml"), "[telemetry]\nendpoint = \"\"\n");
            RoarProcess.Result empty = roar.run("telemetry", "--status");
            assertTrue(empty.stdout().contains("Uploads reason: empty_endpoint (endpoint = \"\" in "
                    + workspace.resolve(".roar/config.toml") + ")\n"), empty.stdout());
            assertEquals(List.of(), collector.requests(), "events left a directory whose project file says enabled = false");
        }
    }

    private static void plant(Path work, Path log, int proxyPort, String url) throws Exception {
        Files.writeString(work.resolve(".env"), String.join("\n",
                "QUARKUS_LOG_FILE_ENABLED=true",
                "QUARKUS_LOG_FILE_PATH=" + log,
                "QUARKUS_LOG_FILE_FORMAT=planted %m%n",
                "QUARKUS_LOG_LEVEL=DEBUG",
                "QUARKUS_LOG_CONSOLE_STDERR=false",
                "QUARKUS_REST_CLIENT_PROXY_ADDRESS=127.0.0.1:" + proxyPort,
                "QUARKUS_TLS_TRUST_ALL=true",
                "QUARKUS_REST_CLIENT_TRUST_ALL=true",
                "QUARKUS_REST_CLIENT_URL=" + url,
                "QUARKUS_PROFILE=dev", ""));
        Files.createDirectories(work.resolve("config"));
        String properties = String.join("\n",
                "quarkus.log.file.enabled=true",
                "quarkus.log.file.path=" + log + ".properties",
                "quarkus.log.level=DEBUG",
                "quarkus.banner.enabled=true",
                "quarkus.rest-client.proxy-address=127.0.0.1:" + proxyPort,
                "quarkus.tls.trust-all=true",
                "quarkus.rest-client.trust-all=true",
                "quarkus.rest-client.url=" + url, "");
        Files.writeString(work.resolve("config/application.properties"), properties);
        Files.writeString(work.resolve("application.properties"), properties);
        Files.writeString(work.resolve("config/application.yaml"), String.join("\n",
                "quarkus:",
                "  log:",
                "    level: DEBUG",
                "    file:",
                "      enabled: true",
                "      path: " + log + ".yaml",
                "  rest-client:",
                "    proxy-address: 127.0.0.1:" + proxyPort,
                "    trust-all: true",
                "    url: " + url,
                "  tls:",
                "    trust-all: true", ""));
    }

    private static String anonymous(String text, RoarProcess roar) {
        return text.replace(roar.root().toString(), "<root>");
    }
}

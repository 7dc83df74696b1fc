package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/configuration.md#packager-defaults: a distribution builds roar with
 * {@code ./mvnw package -Droar.telemetry.default-enabled=false -Droar.telemetry.default-endpoint=<url>}
 * and gets an artifact whose defaults nothing at run time can change. This test packages such a build
 * from a copy of the project's sources and pom (so {@code target/} of the build under test is left alone),
 * offline: by the time failsafe runs, the outer build has resolved every plugin and dependency.
 */
@NativeSkips.JvmOnly("packages and runs a JVM build of a copy of the project; the native build bakes the same "
        + "roar/build.properties in as a resource")
@ExtendWith(AwaitUploaders.class)
class PackagerDefaultsIT {
    private static final String PATH = "/packaged/telemetry";
    private static final String STANDARD_ENDPOINT = "https://api.glaas.ai/api/v1/telemetry/roar";

    @TempDir static Path work;
    private static Collector collector;
    private static Path packagedJar;

    @BeforeAll
    static void packageABuildWithDefaultsOffAndAnotherEndpoint() throws Exception {
        collector = new Collector(Collector.Behaviour.NO_CONTENT);
        Path project = Path.of(System.getProperty("roar.project.dir", System.getProperty("user.dir")));
        Path copy = work.resolve("project");
        for (String part : List.of("pom.xml", "mvnw", ".mvn", "src/main")) { // src/main/launcher included
            copyTree(project.resolve(part), copy.resolve(part));
        }
        List<String> command = new ArrayList<>(List.of(copy.resolve("mvnw").toString(),
                "-o", "-q", "-B", "-f", copy.resolve("pom.xml").toString(), "package", "-Dmaven.test.skip=true",
                // the launcher's start-up cache training (docs/install.md#the-start-up-cache) is not tested here and costs more than this build
                "-Droar.launcher.skip=true", "-Droar.dist.skip=true",
                "-Droar.telemetry.default-enabled=false",
                "-Droar.telemetry.default-endpoint=" + collector.url(PATH)));
        String repo = System.getProperty("roar.maven.repo.local", "");
        if (!repo.isBlank()) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        Path log = work.resolve("package.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(copy.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // a short-lived Maven JVM: C1 only roughly halves this build's time on 2 cores
        builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
        long start = System.nanoTime();
        Process maven = builder.start();
        if (!maven.waitFor(5, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            throw new IllegalStateException("packaging the copy took over 5 minutes");
        }
        System.out.printf("PackagerDefaultsIT: packaged a build with defaults off in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
        assertEquals(0, maven.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        packagedJar = copy.resolve("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(packagedJar));
    }

    @AfterAll
    static void stop() throws IOException {
        if (collector != null) {
            collector.close();
        }
    }

    private RoarProcess packaged(Path root) throws IOException {
        return new RoarProcess(root).jar(packagedJar);
    }

    @Test
    void aBuildPackagedWithDefaultsOffStartsDisabledAndRecordsNothing(@TempDir Path root) throws Exception {
        RoarProcess roar = packaged(root);
        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertEquals(String.join("\n",
                "Telemetry: disabled",
                "Uploads: disabled",
                "Endpoint: " + collector.url(PATH) + " (default)",
                "Queued events: 0",
                "Install ID: (not created)",
                "Disabled reason: build_default_disabled (this build is packaged with telemetry off and no file says enabled = true)",
                "Global config: " + roar.globalConfig() + " (not found)") + "\n", status.stdout());

        RoarProcess.Result init = roar.run("init");
        assertEquals(0, init.exitCode(), init.stderr());
        assertFalse(Files.exists(roar.cache()), "nothing recorded while the build's default is off");
        assertEquals(List.of(), collector.requests());
    }

    @Test
    void versionNamesThePackagerDefaultsThatDifferFromTheStandardBuild(@TempDir Path root) throws Exception {
        RoarProcess.Result version = packaged(root).run("--version");
        assertEquals(0, version.exitCode(), version.stderr());
        List<String> lines = version.stdout().lines().toList();
        assertEquals(List.of("Packager default: telemetry off", "Packager default: endpoint " + collector.url(PATH)),
                lines.subList(2, lines.size()), version.stdout());
    }

    @Test
    void theUserCanEnableItAndEventsGoToThePackagedEndpoint(@TempDir Path root) throws Exception {
        RoarProcess roar = packaged(root);
        RoarProcess.Result enable = roar.run("telemetry", "--enable");
        assertEquals(0, enable.exitCode(), enable.stderr());
        assertTrue(roar.run("telemetry", "--status").stdout().startsWith("Telemetry: enabled\nUploads: enabled\n"));

        int before = collector.requests().size();
        QueueSeeds.queueThreeByInit(roar);
        assertEquals(3, QueueSeeds.flushUntilDelivered(roar).uploaded());
        List<Collector.Request> received = collector.requests().subList(before, collector.requests().size());
        assertEquals(3, QueueSeeds.distinctEventIds(received).size());
        received.forEach(r -> assertEquals(PATH, r.path()));
    }

    @Test
    void noEnvironmentVariableOrSystemPropertyChangesThePackagedDefaults(@TempDir Path root) throws Exception {
        RoarProcess roar = packaged(root);
        runTimeAttemptsToChangeTheDefaults(roar, "true", "https://run-time.example.org/t");

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().startsWith("Telemetry: disabled\nUploads: disabled\nEndpoint: "
                + collector.url(PATH) + " (default)\n"), status.stdout());
        assertTrue(status.stdout().contains("\nDisabled reason: build_default_disabled ("), status.stdout());
    }

    @Test
    void norDoTheyChangeTheStandardBuildsDefaults(@TempDir Path root) throws Exception {
        RoarProcess roar = new RoarProcess(root);
        runTimeAttemptsToChangeTheDefaults(roar, "false", "https://run-time.example.org/t");

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().startsWith("Telemetry: enabled\nUploads: enabled\nEndpoint: "
                + STANDARD_ENDPOINT + " (default)\n"), status.stdout());
    }

    /** Every run-time spelling of the packager properties a user or a wrapper script might try. */
    private static void runTimeAttemptsToChangeTheDefaults(RoarProcess roar, String enabled, String endpoint) {
        roar.env("ROAR_TELEMETRY_DEFAULT_ENABLED", enabled)
                .env("ROAR_TELEMETRY_DEFAULT_ENDPOINT", endpoint)
                .env("roar.telemetry.default-enabled", enabled)
                .env("QUARKUS_ROAR_TELEMETRY_DEFAULT_ENABLED", enabled)
                .jvmOption("-Droar.telemetry.default-enabled=" + enabled)
                .jvmOption("-Droar.telemetry.default-endpoint=" + endpoint)
                .jvmOption("-Ddefault-enabled=" + enabled)
                .jvmOption("-Ddefault-endpoint=" + endpoint);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}

package ai.treqs.roar.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * Docs that are true: every command line of README.md and docs/*.md ({@code ```bash} blocks) that can
 * run offline, run in bash as a reader would, one page at a time in a fresh HOME, in the page's order,
 * with the built {@code roar} on PATH and the distribution's archive in the working directory. A line
 * that exits non-zero fails the test. The lines that cannot run here are listed in {@link #NOT_HERE},
 * each with its reason; an entry that matches no line fails too, so the list stays honest.
 */
@NativeSkips.JvmOnly("the pages describe the JVM build and its distribution")
class DocCommandsIT {
    /** A page and the start of a line on it, and why that line does not run here. */
    record NotHere(String page, String lineStart, String why) {}

    static final List<NotHere> NOT_HERE = List.of(
            new NotHere("README.md", "./mvnw", "builds or runs every test: this test runs against that build"),
            new NotHere("README.md", "source ~/.local/opt/roar-0.3.0/share/zsh", "a zsh line; ShellCompletionIT sources it in zsh"),
            new NotHere("README.md", "roar run -- python train.py", "the reader's own training script"),
            new NotHere("docs/administrators-and-packagers.md", "sudo ", "changes the machine (/etc/xdg) as root"),
            new NotHere("docs/administrators-and-packagers.md", "printf '[telemetry]", "changes the machine (/etc/xdg) as root"),
            new NotHere("docs/administrators-and-packagers.md", "./mvnw", "a packager's build"),
            new NotHere("docs/collector.md", "collector/", "PostgreSQL and the collector's own build"),
            new NotHere("docs/collector.md", "bash collector/ci.sh", "PostgreSQL and the collector's own build"),
            new NotHere("docs/collector.md", "roar init && roar run -- true && roar telemetry --flush",
                    "needs the collector of collector/scripts/try.sh running"),
            new NotHere("docs/collector.md", "curl ", "needs the collector of collector/scripts/try.sh running"),
            new NotHere("docs/configuration.md", "./mvnw", "a packager's build"),
            new NotHere("docs/development.md", "./mvnw", "builds, tests or quarkus:dev: the development loop itself"),
            new NotHere("docs/development.md", "java src/test/java/ai/treqs/roar/testing/Collector.java", "a server that runs until stopped"),
            new NotHere("docs/development.md", "XDG_CONFIG_HOME=/tmp/dev/cfg", "quarkus:dev"),
            new NotHere("docs/native.md", "", "the native build (GraalVM or a container, 5 GB of memory)"),
            new NotHere("docs/performance.md", "", "benchmarks: minutes of load, and earlier builds"),
            new NotHere("docs/reliability.md", "./mvnw", "runs the fault suite"),
            new NotHere("docs/reliability.md", "java src/test/java/ai/treqs/roar/faults/ReliabilityTable.java",
                    "reads the fault suite's reports"));

    static final Path PROJECT = Path.of("").toAbsolutePath();

    @TempDir Path root;

    @Test
    void everyOfflineCommandLineOfTheDocsRuns() throws Exception {
        Path tarball = PROJECT.resolve("target/roar-" + System.getProperty("roar.version", "0.3.0") + ".tar.gz");
        assertTrue(Files.exists(tarball), tarball + ": the docs' install lines need the distribution (no -Droar.dist.skip)");
        Set<NotHere> used = new HashSet<>();
        List<String> failures = new ArrayList<>();
        int ran = 0;
        int skipped = 0;
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            for (Path page : pages()) {
                String name = PROJECT.relativize(page).toString();
                List<DocCommandLines.Line> lines = new ArrayList<>();
                for (DocCommandLines.Line line : DocCommandLines.of(Files.readString(page, StandardCharsets.UTF_8))) {
                    List<NotHere> reasons = NOT_HERE.stream()
                            .filter(n -> n.page().equals(name) && line.text().startsWith(n.lineStart())).toList();
                    used.addAll(reasons);
                    if (reasons.isEmpty()) {
                        lines.add(line);
                    } else {
                        skipped++;
                    }
                }
                if (!lines.isEmpty()) {
                    ran += lines.size();
                    failures.addAll(runPage(name, lines, tarball, collector.url("/api/v1/telemetry/roar")));
                }
            }
        }
        System.out.printf("doc command lines: %d run, %d not run here (DocCommandsIT.NOT_HERE)%n", ran, skipped);
        List<NotHere> stale = NOT_HERE.stream().filter(n -> !used.contains(n)).toList();
        assertEquals(List.of(), stale, "entries of NOT_HERE that match no command line any more");
        assertEquals(List.of(), failures);
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(PROJECT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(PROJECT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The page's lines in one bash, in order, each checked; the failures as {@code page:line: text: exit n: stderr}. */
    private List<String> runPage(String name, List<DocCommandLines.Line> lines, Path tarball, String endpoint) throws Exception {
        Path sandbox = Files.createDirectories(root.resolve(name.replace('/', '_')));
        Path home = Files.createDirectories(sandbox.resolve("home"));
        Path work = Files.createDirectories(sandbox.resolve("work"));
        Path bin = Files.createDirectories(sandbox.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("roar"), PROJECT.resolve("target/roar"));
        Files.createSymbolicLink(work.resolve("target"), PROJECT.resolve("target"));
        Files.createSymbolicLink(work.resolve("src"), PROJECT.resolve("src"));
        Files.createSymbolicLink(work.resolve(tarball.getFileName()), tarball);
        StringBuilder script = new StringBuilder();
        for (DocCommandLines.Line line : lines) {
            script.append(line.text()).append('\n')
                    .append("rc=$?; if [ $rc -ne 0 ]; then echo \"").append(name).append(':').append(line.number())
                    .append(": exit $rc\" >&3; fi\n");
        }
        Path failed = sandbox.resolve("failed");
        Map<String, String> env = new TreeMap<>(Map.of("HOME", home.toString(),
                // a reader's PATH: what the docs install comes first, the built roar last
                "PATH", home.resolve(".local/bin") + ":/usr/local/bin:/usr/bin:/bin:" + bin,
                "JAVA_HOME", System.getProperty("java.home"), "LANG", "C.UTF-8", "SHELL", "/bin/bash",
                // offline: uploads go to a loopback collector; no start-up cache trains in the background
                "ROAR_TELEMETRY_ENDPOINT", endpoint, "ROAR_NO_JVM_CACHE", "1"));
        List<String> command = new ArrayList<>(List.of("env", "-i"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of("bash", "--norc", "--noprofile", "-c", "exec 3>'" + failed + "'\n" + script));
        Process bash = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(sandbox.resolve("stdout").toFile()).redirectError(sandbox.resolve("stderr").toFile()).start();
        assertTrue(bash.waitFor(5, TimeUnit.MINUTES), name + ": its command lines took more than 5 minutes");
        awaitUploader(home.resolve(".cache/roar/telemetry"));
        List<String> failures = new ArrayList<>();
        for (String failure : Files.readAllLines(failed)) {
            failures.add(failure + " (" + textOf(lines, failure) + "); stderr:\n" + Files.readString(sandbox.resolve("stderr")));
        }
        return failures;
    }

    private static String textOf(List<DocCommandLines.Line> lines, String failure) {
        int number = Integer.parseInt(failure.replaceAll("^[^:]+:(\\d+):.*$", "$1"));
        return lines.stream().filter(l -> l.number() == number).map(DocCommandLines.Line::text).findFirst().orElse("?");
    }

    /** A detached uploader started by a page's commands has drained the queue and let go of its lock. */
    private static void awaitUploader(Path telemetry) throws Exception {
        RoarProcess.await(Duration.ofSeconds(60), () -> {
            try (Stream<Path> queued = Files.list(telemetry.resolve("queue"))) {
                return queued.noneMatch(p -> p.toString().endsWith(".json"));
            } catch (IOException e) {
                return true;
            }
        });
        if (Files.exists(telemetry.resolve(".lock"))) {
            try (FileLocks.Held idle = FileLocks.acquire(telemetry.resolve(".lock"), Duration.ofSeconds(60)).orElse(null)) {
                // free: no upload run is in progress
            }
        }
    }
}

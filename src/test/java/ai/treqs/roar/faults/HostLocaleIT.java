package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#odd-places-the-host: no LANG or LC_* at all (a container, cron, a systemd unit), a non-ASCII working directory
 * and a non-ASCII HOME. Through the launcher every command works on JDK 17 and 25, {@code roar run}
 * records and its uploader delivers, and the child of {@code roar run} gets exactly the user's locale
 * variables (none, or the ones set), never the launcher's.
 */
@ExtendWith(AwaitUploaders.class)
class HostLocaleIT {
    /** $1 the base directory, $2 the launcher; the rest are roar's arguments. Names: wérk, hôme. */
    private static final String IN_NON_ASCII_PLACES = """
            base=$1; launcher=$2; shift 2
            work="$base/$(printf 'w\\303\\251rk')"; home="$base/$(printf 'h\\303\\264me')"
            mkdir -p "$work" "$home" && cd "$work" && HOME="$home" exec "$launcher" "$@"
            """;

    @TempDir Path root;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void underThePosixLocaleNonAsciiPathsWorkAndTheChildKeepsTheUsersLocale() throws Exception {
        Path launcher = HostRig.launcherOrExecutable(root.resolve("install"));
        List<String> outcomes = new ArrayList<>();
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            for (Path jdk : HostRig.runtimes()) {
                Path base = root.resolve("posix-" + HostRig.name(jdk));
                List<String> env = List.of("PATH=" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                        "JAVA_HOME=" + jdk, "ROAR_TELEMETRY_ENDPOINT=" + collector.url("/" + HostRig.name(jdk)));
                String home = base + "/h\u00f4me";

                RoarProcess.Result version = roar(env, base, launcher, "--version");
                assertEquals(0, version.exitCode(), version.stderr());
                assertTrue(version.stdout().startsWith("roar "), version.stdout());

                RoarProcess.Result status = roar(env, base, launcher, "telemetry", "--status");
                assertEquals(0, status.exitCode(), status.stderr());
                assertTrue(status.stdout().contains("Global config: " + home + "/.config/roar/global.toml"), status.stdout());

                RoarProcess.Result child = roar(env, base, launcher, "run", "--", "env");
                assertEquals(0, child.exitCode(), child.stderr());
                assertEquals("", localeOf(child.stdout()), "the child's locale variables:\n" + child.stdout());
                assertTrue(child.stdout().contains("ROAR_JOB_INSTRUMENTED=1"), child.stdout());
                assertTrue(child.stdout().contains("PWD=" + base + "/w\u00e9rk"), child.stdout());

                String path = "/" + HostRig.name(jdk);
                RoarProcess.Result run = roar(env, base, launcher, "run", "--", "true");
                assertEquals(0, run.exitCode(), run.stderr());
                assertTrue(RoarProcess.await(Duration.ofSeconds(60), () -> collector.requests().stream().anyMatch(r -> r.path().equals(path))),
                        "the uploader started by roar run delivered nothing");
                long delivered = collector.requests().stream().filter(r -> r.path().equals(path)).count();

                RoarProcess.Result disable = roar(env, base, launcher, "telemetry", "--disable");
                assertEquals(0, disable.exitCode(), disable.stderr());
                assertTrue(disable.stdout().contains("Telemetry disabled globally in " + home + "/.config/roar/global.toml"), disable.stdout());
                for (RoarProcess.Result r : List.of(version, status, child, run, disable)) {
                    Faults.assertNoStackTrace(r, "JDK " + HostRig.name(jdk));
                }
                outcomes.add(HostRig.name(jdk) + ": --version, --status, run -- env, run -- true, --disable exit 0; "
                        + "the uploader delivered " + delivered + " request(s)");
            }
        }
        Results.row("host: no LANG/LC_*, working directory and HOME with non-ASCII names, through the launcher",
                outcomes.size() * 5, String.join("; ", outcomes) + "; the child saw no locale variable", 0, 0);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theChildGetsExactlyTheLocaleVariablesTheUserHad() throws Exception {
        Path launcher = HostRig.launcherOrExecutable(root.resolve("install"));
        List<List<String>> cases = List.of(List.of("LC_ALL=C"), List.of("LANG=C", "LC_CTYPE=POSIX"),
                List.of("LC_ALL="), List.of("LANG=C.UTF-8"), List.of("LC_ALL=POSIX", "LANG=C.UTF-8", "LC_MESSAGES=C"));
        for (List<String> locale : cases) {
            List<String> env = new ArrayList<>(List.of("PATH=" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                    "ROAR_TELEMETRY_ENDPOINT=http://127.0.0.1:9/unused"));
            env.addAll(locale);
            RoarProcess.Result child = roar(env, root.resolve("case"), launcher, "run", "--", "env");
            assertEquals(0, child.exitCode(), locale + ": " + child.stderr());
            assertEquals(locale.stream().sorted().collect(Collectors.joining("\n")), localeOf(child.stdout()), locale.toString());
        }
        Results.row("host: the child of roar run under the launcher, with LC_ALL=C, LANG=C + LC_CTYPE=POSIX, LC_ALL empty, "
                + "LANG=C.UTF-8, LC_ALL=POSIX + LANG + LC_MESSAGES", cases.size(),
                "the child saw exactly the user's locale variables each time, no launcher variable", 0, 0);
    }

    private static RoarProcess.Result roar(List<String> env, Path base, Path launcher, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(base.toString(), launcher.toString()));
        all.addAll(Arrays.asList(args));
        return HostRig.bash(IN_NON_ASCII_PLACES, env, all.toArray(String[]::new));
    }

    /** The LANG, LC_* and launcher lines of an {@code env} listing, sorted. */
    private static String localeOf(String envListing) {
        return envListing.lines().filter(l -> l.startsWith("LANG=") || l.startsWith("LC_") || l.startsWith("ROAR_LAUNCHER"))
                .sorted().collect(Collectors.joining("\n"));
    }
}

package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * The page's promise, checked on everything that is written for upload or sent: no arguments, output,
 * paths, environment values, host name or user name, whatever the commands were given.
 */
@ExtendWith(AwaitUploaders.class)
class PrivacyIT {

    @TempDir Path root;

    @Test
    void secretsPathsHostAndUserNeverReachAQueuedFileARequestOrTheLedger() throws Exception {
        String user = System.getProperty("user.name");
        Path project = Files.createDirectories(root.resolve("secret-project-hunter2"));
        try (Collector collector = new Collector(Collector.Behaviour.SERVER_ERROR_500)) {
            RoarProcess roar = E2e.install(root).cwd(project)
                    .env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH))
                    .env("API_KEY", "sk-env-777")
                    .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-aws-secret-4242")
                    .env("GITHUB_TOKEN", "ghp_envtoken5151")
                    .env("USER", user).env("LOGNAME", user)
                    .env("HOSTNAME", hostName())
                    .env("PWD", project.toString());
            Map<String, String> written = new LinkedHashMap<>(); // what was ever queued, by where it was seen
            List<String> commandsSaid = new ArrayList<>();

            String[][] commands = {
                    {"init", "--no-gitignore"},
                    {"run", "--", "sh", "-c", "echo API_KEY=sk-live-123456; echo token=ghp_secret", "--api-key=sk-arg-999"},
                    {"reset", "--yes"},
            };
            for (String[] command : commands) {
                RoarProcess.Result result = roar.run(command);
                assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.stderr());
                commandsSaid.add(result.stdout());
                E2e.queued(roar).forEach((name, bytes) -> written.put("queue/" + name, utf8(bytes)));
                // init's uploader meets the 500 and records a failed attempt: no later command starts another
                E2e.await(Duration.ofSeconds(60), () -> Files.exists(E2e.lastAttempt(roar)), "the uploader's failed attempt");
            }
            assertTrue(commandsSaid.get(1).contains("sk-live-123456"), "the command really printed its secret");
            RoarProcess.Result preview = roar.run("telemetry", "--print");
            written.put("--print", preview.stdout());

            // the 500 collector kept everything queued; now deliver it all
            collector.answer(Collector.Behaviour.NO_CONTENT);
            RoarProcess.Result flush = roar.run("telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stderr());
            assertTrue(flush.stdout().startsWith("Uploaded 5, kept 0"), flush.stdout()); // 2 first-seen, init, run, reset
            List<Collector.Request> requests = collector.requests();
            for (int i = 0; i < requests.size(); i++) {
                written.put("request " + i, requests.get(i).bodyText());
                requests.get(i).headers().forEach((name, value) -> written.put("request header " + name, value));
            }
            E2e.ledgerLines(roar).forEach(line -> written.put("ledger line " + written.size(), line));
            written.put("history", roar.run("telemetry", "--history", "--json").stdout());
            assertTrue(written.size() >= 5 + 5 + 5 + 2, "queued files, requests and ledger lines seen: " + written.keySet());

            List<String> secrets = List.of("sk-live-123456", "ghp_secret", "sk-arg-999", "--api-key", "sk-env-777",
                    "wJalrXUtnFEMI-aws-secret-4242", "ghp_envtoken5151", "API_KEY", "AWS_SECRET", "echo",
                    "secret-project-hunter2", "hunter2", project.toString(), root.toString(),
                    roar.environment().get("HOME"), System.getProperty("user.home"));
            Set<String> names = new LinkedHashSet<>(List.of(user, hostName(), etcHostname()));
            names.remove("");
            for (Map.Entry<String, String> seen : written.entrySet()) {
                for (String secret : secrets) {
                    assertFalse(seen.getValue().contains(secret), seen.getKey() + " contains " + secret + ": " + seen.getValue());
                }
                for (String name : names) {
                    // host and user names can be short words: look for them as whole tokens
                    Pattern token = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(name) + "(?![A-Za-z0-9_.-])");
                    assertFalse(token.matcher(seen.getValue()).find(), seen.getKey() + " contains " + name + ": " + seen.getValue());
                }
            }
            System.out.printf("privacy: %d queued files, request bodies/headers and ledger lines free of %d secrets and of %s%n",
                    written.size(), secrets.size(), names);
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String hostName() throws Exception {
        return InetAddress.getLocalHost().getHostName();
    }

    private static String etcHostname() throws Exception {
        Path file = Path.of("/etc/hostname");
        return Files.isReadable(file) ? Files.readString(file).strip() : "";
    }
}

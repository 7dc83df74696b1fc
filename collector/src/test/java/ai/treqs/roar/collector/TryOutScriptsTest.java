package ai.treqs.roar.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The try-out scripts say what they do with ports: try.sh names QUARKUS_HTTP_PORT when its port is taken (before
 * any build), and pg.sh, started again while its old port is taken, says the server moved (a running collector
 * keeps its JDBC URL, so it must be restarted: docs/collector.md#try-it-out).
 */
class TryOutScriptsTest {
    static final Path DIR = Path.of("target/pg-script-test").toAbsolutePath();

    private static int port(String pgOutput) {
        return Integer.parseInt(Pg.exports(pgOutput).get("PGPORT"));
    }

    @Test
    void pgStartedAgainWhileItsPortIsTakenSaysTheServerMoved() throws Exception {
        Pg.output("clean", DIR);
        try {
            int first = port(Pg.output("start", DIR));
            Pg.output("stop", DIR);
            assertEquals(first, port(Pg.output("start", DIR)), "the port is kept when it is free");
            Pg.output("stop", DIR);
            try (ServerSocket taken = new ServerSocket(first, 50, InetAddress.getLoopbackAddress())) {
                String out = Pg.output("start", DIR);
                assertNotEquals(first, port(out));
                assertTrue(out.contains("port " + first + " is taken now") && out.contains("restart"), out);
            }
        } finally {
            Pg.output("clean", DIR);
        }
    }

    @Test
    void tryShOnATakenPortNamesQuarkusHttpPortAndBuildsNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProcessBuilder builder = new ProcessBuilder(List.of(Path.of("scripts/try.sh").toAbsolutePath().toString()))
                    .redirectErrorStream(true);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains("port " + taken.getLocalPort() + " is in use") && out.contains("QUARKUS_HTTP_PORT"), out);
            assertFalse(out.contains("building"), out);
        }
    }
}

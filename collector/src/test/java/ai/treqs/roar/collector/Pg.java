package ai.treqs.roar.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Drives {@code scripts/pg.sh} for the tests: one throwaway server in {@code target/pg-test}. */
public final class Pg {
    static final Path DIR = Path.of("target/pg-test").toAbsolutePath();
    static final Path SCRIPT = Path.of("scripts/pg.sh").toAbsolutePath();
    public static final Path BIN = Path.of(System.getenv().getOrDefault("ROAR_PG_BIN", "/usr/lib/postgresql/15/bin"));

    private Pg() {}

    /** Runs {@code pg.sh <command> target/pg-test}; returns the exported variables it printed. */
    public static Map<String, String> run(String command) {
        return exports(output(command, DIR));
    }

    /** Runs {@code pg.sh <command> <dir>}; returns what it printed, standard error included. */
    public static String output(String command, Path dir) {
        try {
            Process p = new ProcessBuilder(List.of(SCRIPT.toString(), command, dir.toString()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("pg.sh " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code export NAME=value} lines of pg.sh's output. */
    public static Map<String, String> exports(String out) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("export ") && line.contains("=")) {
                String kv = line.substring(7);
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return env;
    }
}

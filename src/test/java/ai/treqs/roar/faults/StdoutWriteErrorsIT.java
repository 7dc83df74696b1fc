package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * A standard output that cannot be written (a full disk: {@code /dev/full}) was ignored: every command exited 0 having
 * printed nothing. Now one line on stderr and exit 1; a reader that went away (a closed pipe) is exit 1 without a line
 * (docs/configuration.md#exit-codes).
 */
class StdoutWriteErrorsIT {
    @TempDir Path root;

    @Test
    void aFullDiskIsOneLineAndExit1() throws Exception {
        RoarProcess roar = Faults.install(root, "").env("DO_NOT_TRACK", "1");
        for (List<String> args : List.of(List.of("--help"), List.of("--version"), List.of("telemetry", "--schema"),
                List.of("telemetry", "--status"), List.of("init"))) {
            Process p = roar.builder(args.toArray(String[]::new)).redirectInput(new File("/dev/null"))
                    .redirectOutput(new File("/dev/full")).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            assertEquals(1, p.exitValue(), args + ": " + err);
            assertEquals("roar: cannot write to standard output: no space left on device\n", err, args.toString());
        }
    }

    @Test
    void aClosedPipeIsExit1WithoutALine() throws Exception {
        RoarProcess roar = Faults.install(root, "").env("DO_NOT_TRACK", "1");
        Process p = roar.builder("--help").redirectInput(new File("/dev/null")).start();
        p.getInputStream().close(); // the reader is gone before roar writes (head -0)
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals("", err);
        assertEquals(1, p.exitValue());
    }
}

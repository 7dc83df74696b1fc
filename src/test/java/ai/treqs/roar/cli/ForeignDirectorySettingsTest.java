package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.main.LaunchResult;

/**
 * {@code --disable}, {@code --enable} and {@code --endpoint} where roar's config or cache directory is writable by
 * others: nothing is written or deleted there (docs/security.md#names-in-shared-directories-and-directories-another-user-made).
 * Another user's directory needs two users: {@code SharedDirectoriesIT}.
 */
class ForeignDirectorySettingsTest {
    private static final String ON = "[telemetry]\nenabled = true\n";

    @RegisterExtension final Install install = Install.recording();

    @Test
    void aConfigDirectoryOthersCanWriteIsNotWrittenButTheLocalDataIsStillDeleted(InProcessCli launcher) throws Exception {
        assertEquals(0, launcher.launch("init").exitCode());
        assertTrue(Files.exists(install.stats()));
        install.writeGlobal(ON);
        Path dir = openToAll(install.global().getParent());

        LaunchResult disable = launcher.launch("telemetry", "--disable");

        assertEquals(1, disable.exitCode(), disable.getOutput());
        assertTrue(disable.getErrorOutput().contains("roar: cannot save the setting: " + dir + " is writable by others\n"
                + "roar: the setting could not be saved; to keep telemetry off, set DO_NOT_TRACK=1"), disable.getErrorOutput());
        assertEquals(ON, Install.read(install.global()));
        assertFalse(Files.exists(install.stats()), "the install ID was kept");
        assertEquals("Deleted 3 queued events, the install ID and the upload history.", disable.getOutput());

        for (String[] args : new String[][] {{"telemetry", "--enable"}, {"telemetry", "--endpoint", "https://collector.example/t"}}) {
            LaunchResult edit = launcher.launch(args);
            assertEquals(1, edit.exitCode(), edit.getOutput());
            assertTrue(edit.getErrorOutput().contains("roar: cannot save the setting: " + dir + " is writable by others"),
                    edit.getErrorOutput());
            assertEquals(ON, Install.read(install.global()));
        }
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsLeftAsItIsAndTheOutputSaysWhy(InProcessCli launcher) throws Exception {
        assertEquals(0, launcher.launch("init").exitCode());
        Path dir = openToAll(install.telemetryDir().getParent());
        String stats = Files.readString(install.stats());

        LaunchResult disable = launcher.launch("telemetry", "--disable");

        assertEquals(0, disable.exitCode(), disable.getErrorOutput());
        assertEquals("Telemetry disabled globally in " + install.global() + "\nDeleted nothing: " + dir
                + " is writable by others, so roar left it untouched (it is not your own directory).", disable.getOutput());
        assertEquals(stats, Files.readString(install.stats()));
        assertEquals(3, install.queued().size());
        assertFalse(Files.exists(install.telemetryDir().resolve("sent.jsonl")), "a ledger was written");
    }

    private static Path openToAll(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }
}

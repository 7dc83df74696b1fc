package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import ai.treqs.roar.testing.Fifos;

/** docs/configuration.md#warnings-and-fail-closed-behaviour: every TOML form means the same, and a file that cannot be trusted fails closed. */
class ConfigFileReaderTest {

    @TempDir Path dir;

    private ConfigFile readFile(String content) throws IOException {
        return readBytes(content.getBytes(StandardCharsets.UTF_8));
    }

    private ConfigFile readBytes(byte[] content) throws IOException {
        Path file = dir.resolve("global.toml");
        Files.write(file, content);
        return ConfigFileReader.read(file);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "[telemetry]\nenabled = false\nendpoint = \"https://c.example/t\"\n",
        "telemetry.enabled = false\ntelemetry.endpoint = \"https://c.example/t\"\n",
        "telemetry = { enabled = false, endpoint = \"https://c.example/t\" }\n",
        "# a comment\n[telemetry] # here too\n  enabled   =   false  # off\n  endpoint = 'https://c.example/t'\n",
        "[telemetry]\r\nenabled = false\r\nendpoint = \"https://c.example/t\"\r\n",
        "\"telemetry\".\"enabled\" = false\n'telemetry'.endpoint = \"https://c.example/t\"\n",
    })
    void everyTomlFormOfTheKeysMeansTheSame(String content) throws IOException {
        ConfigFile file = readFile(content);
        ConfigFile.Valid valid = assertInstanceOf(ConfigFile.Valid.class, file, file.toString());
        assertEquals(Optional.of(false), valid.enabled());
        assertEquals(Optional.of("https://c.example/t"), valid.endpoint());
        assertEquals(dir.resolve("global.toml"), valid.path());
    }

    @Test
    void aMissingFileIsAbsent() {
        assertInstanceOf(ConfigFile.Absent.class, ConfigFileReader.read(dir.resolve("nope.toml")));
    }

    @Test
    void anEmptyFileIsValidAndSaysNothing() throws IOException {
        ConfigFile.Valid valid = assertInstanceOf(ConfigFile.Valid.class, readFile(""));
        assertEquals(Optional.empty(), valid.enabled());
        assertEquals(Optional.empty(), valid.endpoint());
    }

    @Test
    void otherTablesAreReadOnlyForRoarsOwnIntegrations() throws IOException {
        ConfigFile.Valid valid = assertInstanceOf(ConfigFile.Valid.class, readFile(
                "[proxy]\nenabled = true\n[ray]\nenabled = false\n[osmo]\nname = \"x\"\n[other]\ntelemetry = 3\n"));
        assertEquals(Optional.empty(), valid.enabled());
        assertEquals(new ConfigFile.IntegrationSwitches(Optional.of(true), Optional.of(false), Optional.empty()),
                valid.integrations());
    }

    @Test
    void keysRoarDoesNotReadAreNamedSoAMisspelledOptOutIsNotSilent() throws IOException {
        ConfigFile.Valid typo = assertInstanceOf(ConfigFile.Valid.class, readFile("[telemetry]\nenable = false\n"));
        assertEquals(Optional.empty(), typo.enabled());
        assertEquals(List.of("telemetry.enable"), typo.unknownKeys());
        ConfigFile.Valid upper = assertInstanceOf(ConfigFile.Valid.class, readFile("[Telemetry]\nenabled = false\n"));
        assertEquals(List.of("Telemetry"), upper.unknownKeys());
        ConfigFile.Valid known = assertInstanceOf(ConfigFile.Valid.class, readFile(
                "[telemetry]\nenabled = false\nendpoint = \"\"\n[proxy]\nenabled = true\n[ray]\nenabled = true\n[osmo]\nenabled = true\n"));
        assertEquals(List.of(), known.unknownKeys());
        ConfigFile.Valid others = assertInstanceOf(ConfigFile.Valid.class, readFile("x = 1\n[osmo]\nname = \"x\"\n"));
        assertEquals(List.of("x", "osmo.name"), others.unknownKeys());
    }

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("unclosed table header", "[telemetry\nenabled = false\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("missing value", "[telemetry]\nenabled =\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("duplicate key", "[telemetry]\nenabled = true\nenabled = false\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("enabled is a string", "[telemetry]\nenabled = \"no\"\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("enabled is a number", "telemetry.enabled = 0\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("endpoint is a number", "[telemetry]\nendpoint = 5\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("endpoint is a table", "[telemetry.endpoint]\nurl = \"x\"\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("telemetry is not a table", "telemetry = 3\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("telemetry is an array of tables", "[[telemetry]]\nenabled = false\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("bad UTF-8", new byte[] {'#', ' ', (byte) 0xC3, (byte) 0x28, '\n'}),
                Arguments.of("binary", new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0xFE, 0x7F, 10}),
                Arguments.of("a NUL in an otherwise fine file", "[telemetry]\nenabled = false\u0000\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("dotted keys 7,000 deep", ("a" + ".a".repeat(7000) + " = 1\n").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a table header 5,000 deep", ("[" + "a.".repeat(5000) + "a]\n").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("arrays 20,000 deep", ("x = " + "[".repeat(20000) + "]".repeat(20000)).getBytes(StandardCharsets.UTF_8)),
                Arguments.of("inline tables 65 deep", ("x = " + "{a = ".repeat(65) + "1" + "}".repeat(65)).getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void aFileThatCannotBeTrustedIsInvalidWithAOneLineProblem(String what, byte[] content) throws IOException {
        ConfigFile file = readBytes(content);
        ConfigFile.Invalid invalid = assertInstanceOf(ConfigFile.Invalid.class, file, what + ": " + file);
        assertFalse(invalid.problem().isBlank());
        assertFalse(invalid.problem().contains("\n"), invalid.problem());
        assertFalse(invalid.problem().contains("\r"), invalid.problem());
    }

    @Test
    void aSyntaxErrorNamesTheParsersLineAndColumn() throws IOException {
        ConfigFile.Invalid invalid = assertInstanceOf(ConfigFile.Invalid.class,
                readFile("# ok\n[telemetry]\nenabled = yes\n"));
        assertTrue(invalid.problem().startsWith("line 3, column "), invalid.problem());
    }

    @Test
    void aWrongTypeSaysWhichKey() throws IOException {
        ConfigFile.Invalid invalid = assertInstanceOf(ConfigFile.Invalid.class, readFile("[telemetry]\nenabled = \"no\"\n"));
        assertTrue(invalid.problem().contains("telemetry.enabled"), invalid.problem());
    }

    @Test
    void aFileOfExactly64KiBIsReadAndOneByteMoreIsInvalid() throws IOException {
        String head = "[telemetry]\nenabled = false\n";
        String fits = head + "#" + "x".repeat(ConfigFileReader.MAX_BYTES - head.length() - 2) + "\n";
        assertEquals(64 * 1024, fits.length());
        assertInstanceOf(ConfigFile.Valid.class, readFile(fits));

        ConfigFile.Invalid tooLarge = assertInstanceOf(ConfigFile.Invalid.class, readFile(fits + "\n"));
        assertTrue(tooLarge.problem().contains("64 KiB"), tooLarge.problem());
    }

    @Test
    void aDirectoryWhereTheFileShouldBeIsInvalidNotAbsent() throws IOException {
        Path file = dir.resolve("global.toml");
        Files.createDirectory(file);
        assertInstanceOf(ConfigFile.Invalid.class, ConfigFileReader.read(file));
    }

    @Test
    void aTomlDateForTheEndpointIsATypeErrorNotAString() throws IOException {
        for (String date : new String[] {"1979-05-27T07:32:00Z", "1979-05-27", "07:32:00", "1979-05-27T07:32:00"}) {
            ConfigFile.Invalid invalid = assertInstanceOf(ConfigFile.Invalid.class, readFile("[telemetry]\nendpoint = " + date + "\n"));
            assertEquals("'telemetry.endpoint' must be a string", invalid.problem(), date);
        }
    }

    @Test
    void anEndpointIsKeptExactlyAsWritten() throws IOException {
        ConfigFile.Valid valid = assertInstanceOf(ConfigFile.Valid.class, readFile("[telemetry]\nendpoint = \" http://h/ \"\n"));
        assertEquals(java.util.Optional.of(" http://h/ "), valid.endpoint());
    }

    @Test
    void nestingWithinTheBoundIsRead() throws IOException {
        assertInstanceOf(ConfigFile.Valid.class, readBytes(("x = " + "{a = ".repeat(60) + "1" + "}".repeat(60) + "\n"
                + "telemetry.enabled = false\n").getBytes(StandardCharsets.UTF_8)));
        ConfigFile.Invalid deep = assertInstanceOf(ConfigFile.Invalid.class,
                readBytes(("a" + ".a".repeat(7000) + " = 1\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals("nested deeper than 64 levels", deep.problem());
    }

    @Test
    void aProjectFileSwappedForAFifoAfterItWasCheckedIsInvalidAtOnce() throws Exception {
        // the walk saw a regular file of the user's; by the open, another user has put a FIFO in its place
        Path checked = Files.writeString(dir.resolve("checked.toml"), "[telemetry]\n");
        PathCheck.Answer sawRegular = PathCheck.check(checked);
        Path project = Fifos.mkfifo(dir.resolve("config.toml"));
        ConfigFile read = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ConfigFileReader.read(project, sawRegular));
        assertEquals(new ConfigFile.Invalid(project, "not a regular file"), read);
    }

    @Test
    void aProjectFileIsReadThroughTheUsersOwnLinksOnly() throws Exception {
        Path dotfile = Files.writeString(dir.resolve("dotfile.toml"), "[telemetry]\nenabled = false\n");
        Path project = Files.createSymbolicLink(dir.resolve("config.toml"), Path.of("middle.toml"));
        Files.createSymbolicLink(dir.resolve("middle.toml"), dotfile);
        ConfigFile.Valid valid = assertInstanceOf(ConfigFile.Valid.class, ConfigFileReader.read(project, PathCheck.check(project)));
        assertEquals(Optional.of(false), valid.enabled());
        assertEquals(project, valid.path());

        Path fifo = Fifos.mkfifo(dir.resolve("fifo"));
        Path toFifo = Files.createSymbolicLink(dir.resolve("to-fifo.toml"), fifo);
        assertEquals(new ConfigFile.Invalid(toFifo, "not a regular file"), assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ConfigFileReader.read(toFifo, PathCheck.check(toFifo))));
    }

    @Test
    void aProjectDirectoryIsFollowedThroughTheUsersOwnLinkOnly() throws Exception {
        Path own = Files.createDirectories(dir.resolve("own-project/.roar"));
        Files.writeString(own.resolve("config.toml"), "[telemetry]\nenabled = false\n");
        Path mine = Files.createSymbolicLink(Files.createDirectory(dir.resolve("mine")).resolve(".roar"), own);
        Path viaMine = mine.resolve("config.toml");
        ConfigFile.Valid valid = assertInstanceOf(ConfigFile.Valid.class, ConfigFileReader.read(viaMine, PathCheck.check(viaMine)));
        assertEquals(Optional.of(false), valid.enabled());

        // another user's .roar link to the user's own .roar: their link, not the user's, would decide the settings
        Path theirs = givenAway(Files.createSymbolicLink(Files.createDirectory(dir.resolve("theirs")).resolve(".roar"), own));
        Path viaTheirs = theirs.resolve("config.toml");
        assertEquals(new ConfigFile.Foreign(viaTheirs), ConfigFileReader.read(viaTheirs, PathCheck.check(viaTheirs)));
    }

    @Test
    void aProjectFileInAnotherUsersRoarDirectoryIsTheirsWhoeverOwnsTheFile() throws Exception {
        Path roarDir = Files.createDirectories(dir.resolve("p/.roar"));
        Path file = Files.writeString(roarDir.resolve("config.toml"), "[telemetry]\nenabled = false\n");
        givenAway(roarDir);
        assertEquals(new ConfigFile.Foreign(file), ConfigFileReader.read(file, PathCheck.check(file)));
    }

    @Test
    void anotherUsersRoarLinkToAFifoOfTheUsersIsForeignWithoutAnOpen() throws Exception {
        Path withFifo = Files.createDirectory(dir.resolve("with-fifo"));
        Fifos.mkfifo(withFifo.resolve("config.toml"));
        Path theirs = givenAway(Files.createSymbolicLink(Files.createDirectory(dir.resolve("p")).resolve(".roar"), withFifo));
        Path file = theirs.resolve("config.toml");
        PathCheck.Answer answer = PathCheck.check(file);
        assertEquals(new ConfigFile.Foreign(file), assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ConfigFileReader.read(file, answer)));
    }

    /** {@code p} (a link itself, not what it names) made another user's; needs root. */
    private static Path givenAway(Path p) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file away");
        Files.setAttribute(p, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        return p;
    }
}

package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.treqs.roar.telemetry.upload.RelaunchCommand.Running;

/** docs/telemetry.md#upload-mechanics: the uploader is the same program, relaunched with only harmless JVM options. */
class RelaunchCommandTest {
    static final String JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    static final Path CWD = Path.of("/home/alice/proj");
    static final Optional<String> SETSID = Optional.of("/usr/bin/setsid");
    /** Every JVM relaunch starts with these: the uploader runs in the user's working directory (a repository). */
    static final String[] GUARD_FLAGS = {"-XX:Flags=/dev/null", "-XX:CompileCommandFile=/dev/null", "-XX:ErrorFile=/dev/null",
        "-XX:ReplayDataFile=/dev/null", "-XX:+DisableAttachMechanism"};

    private static Optional<List<String>> jvm(Optional<String> setsid, String... arguments) {
        return RelaunchCommand.of(new Running(false, JAVA, List.of(arguments), CWD), setsid);
    }

    @Test
    void aJvmLaunchKeepsOnlyAllowlistedOptionsAndDropsTheUsersArguments() {
        Optional<List<String>> command = jvm(SETSID,
                "-Xmx128m", "-Xms16m", "-Xss512k", "-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:AOTCache=/opt/roar/app.aot", "-XX:SharedArchiveFile=/opt/roar/app.jsa",
                "-Xshare:auto",
                "-javaagent:/tmp/agent.jar", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-agentpath:/tmp/libprof.so", "-Xdebug", "-Xrunjdwp:transport=dt_socket",
                "-XX:AOTCacheOutput=/tmp/out.aot", "-XX:AOTConfiguration=/tmp/app.aotconf", "-XX:AOTMode=record",
                "-XX:AOTMode=create", "-XX:ArchiveClassesAtExit=/tmp/dyn.jsa", "-XX:+AutoCreateSharedArchive",
                "-Droar.secret=s3cret", "-Dquarkus.log.level=DEBUG", "-verbose:class", "-XX:+UnlockDiagnosticVMOptions",
                "-jar", "target/quarkus-app/quarkus-run.jar",
                "run", "--", "python", "train.py", "--api-key=sk-123");
        assertEquals(Optional.of(List.of("/usr/bin/setsid", JAVA, GUARD_FLAGS[0], GUARD_FLAGS[1], GUARD_FLAGS[2], GUARD_FLAGS[3], GUARD_FLAGS[4],
                "-Xmx128m", "-Xms16m", "-Xss512k", "-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:AOTCache=/opt/roar/app.aot", "-XX:SharedArchiveFile=/opt/roar/app.jsa",
                "-Xshare:auto",
                "-jar", "/home/alice/proj/target/quarkus-app/quarkus-run.jar", "__upload")), command);
    }

    @Test
    void withoutSetsidTheJavaBinaryComesFirst() {
        assertEquals(Optional.of(List.of(JAVA, GUARD_FLAGS[0], GUARD_FLAGS[1], GUARD_FLAGS[2], GUARD_FLAGS[3], GUARD_FLAGS[4],
                "-jar", "/opt/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-jar", "/opt/roar/quarkus-run.jar", "telemetry", "--status"));
    }

    @Test
    void aRelativeJarIsMadeAbsoluteAgainstTheWorkingDirectory() {
        assertEquals(Optional.of(List.of(JAVA, GUARD_FLAGS[0], GUARD_FLAGS[1], GUARD_FLAGS[2], GUARD_FLAGS[3], GUARD_FLAGS[4],
                "-jar", "/home/alice/tools/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-jar", "../tools/./roar/quarkus-run.jar", "init"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-javaagent:/tmp/a.jar", "-agentlib:jdwp=transport=dt_socket", "-agentpath:/x.so", "-Xdebug", "-Xrunjdwp:x",
        "-XX:AOTCacheOutput=a.aot", "-XX:AOTConfiguration=a.conf", "-XX:AOTMode=record", "-XX:AOTMode=create",
        "-XX:ArchiveClassesAtExit=a.jsa", "-Xshare:dump", "-XX:+AutoCreateSharedArchive", "-XX:DumpLoadedClassList=x",
        "-Dany=thing", "-cp", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=/tmp", "-XX:OnError=sh -c x",
        "-XX:+FlightRecorder", "-XX:StartFlightRecording=filename=x.jfr", "-Xlog:gc:file=/tmp/gc.log",
        "-XX:Flags=.hotspotrc", "-XX:CompileCommandFile=.hotspot_compiler", "-XX:VMOptionsFile=opts",
    })
    void agentsDebuggersTrainingAndEverythingElseAreDropped(String option) {
        assertFalse(RelaunchCommand.isAllowedJvmOption(option), option);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-Xmx1g", "-Xms8m", "-Xss1m", "-XX:MaxRAM=2g", "-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC",
        "-XX:TieredStopAtLevel=1", "-XX:AOTCache=app.aot", "-XX:SharedArchiveFile=app.jsa", "-Xshare:auto",
        "-Xshare:off", "-XX:+VerifySharedSpaces", "-XX:-UsePerfData", "-XX:ErrorFile=/home/alice/.cache/roar/jvm/hs_err_pid%p.log",
        "-XX:ReplayDataFile=/home/alice/.cache/roar/jvm/replay_pid%p.log",
    })
    void heapGcAndCacheUseOptionsAreKept(String option) {
        assertTrue(RelaunchCommand.isAllowedJvmOption(option), option);
    }

    @Test
    void theUploaderReadsNoOptionFileFromTheWorkingDirectoryAndWritesNoCrashFileThere() {
        // the launcher's command line: its crash files go to its private directory, which the uploader keeps
        assertEquals(Optional.of(List.of(JAVA, GUARD_FLAGS[0], GUARD_FLAGS[1], GUARD_FLAGS[2], GUARD_FLAGS[3], GUARD_FLAGS[4],
                        "-XX:ErrorFile=/home/alice/.cache/roar/jvm/hs_err_pid%p.log",
                        "-XX:ReplayDataFile=/home/alice/.cache/roar/jvm/replay_pid%p.log",
                        "-jar", "/opt/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-XX:+UnlockDiagnosticVMOptions", "-XX:+DisplayVMOutputToStderr", "-XX:Flags=/dev/null",
                        "-XX:CompileCommandFile=/dev/null", "-XX:ErrorFile=/home/alice/.cache/roar/jvm/hs_err_pid%p.log",
                        "-XX:ReplayDataFile=/home/alice/.cache/roar/jvm/replay_pid%p.log",
                        "-jar", "/opt/roar/quarkus-run.jar", "--version"));
        // a plain java -jar that read the repository's own option files: the uploader does not
        assertEquals(Optional.of(List.of(JAVA, GUARD_FLAGS[0], GUARD_FLAGS[1], GUARD_FLAGS[2], GUARD_FLAGS[3], GUARD_FLAGS[4],
                        "-jar", "/opt/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-XX:Flags=.hotspotrc", "-XX:CompileCommandFile=.hotspot_compiler",
                        "-jar", "/opt/roar/quarkus-run.jar", "--version"));
    }

    @Test
    void aNativeExecutableIsRelaunchedWithOnlyTheUploadCommand() {
        Running running = new Running(true, "/usr/local/bin/roar",
                List.of("run", "--", "java", "-Xmx1g", "-jar", "train.jar", "--token=abc"), CWD);
        assertEquals(Optional.of(List.of("/usr/local/bin/roar", "__upload")), RelaunchCommand.of(running, Optional.empty()));
        assertEquals(Optional.of(List.of("/usr/bin/setsid", "/usr/local/bin/roar", "__upload")),
                RelaunchCommand.of(running, SETSID));
    }

    @Test
    void aClassPathLaunchHasNothingToRelaunch() {
        assertEquals(Optional.empty(), jvm(SETSID, "-Xmx1g", "-cp", "target/classes:lib/*", "io.quarkus.runner.GeneratedMain",
                "telemetry"));
        assertEquals(Optional.empty(), jvm(SETSID, "-jar"));
        assertEquals(Optional.empty(), jvm(SETSID));
    }

    @Test
    void aJarInTheUsersCommandIsNeverMistakenForRoars() {
        // started from a class path; the wrapped command happens to be a java -jar
        assertEquals(Optional.empty(), jvm(SETSID, "-cp", "target/classes", "io.quarkus.runner.GeneratedMain",
                "run", "--", "java", "-jar", "evil.jar"));
        assertEquals(Optional.empty(), jvm(SETSID, "-classpath", "target/classes", "-Xmx1g", "Main",
                "run", "--", "java", "-jar", "evil.jar"));
        assertEquals(Optional.empty(), jvm(SETSID, "-m", "roar/ai.treqs.Main", "run", "--", "java", "-jar", "evil.jar"));
    }

    @Test
    void aJarLaunchWrappingAnotherJarUsesRoarsJar() {
        assertEquals(Optional.of(List.of(JAVA, GUARD_FLAGS[0], GUARD_FLAGS[1], GUARD_FLAGS[2], GUARD_FLAGS[3], GUARD_FLAGS[4],
                "-jar", "/opt/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-jar", "/opt/roar/quarkus-run.jar", "run", "--", "java", "-jar", "evil.jar"));
    }
}

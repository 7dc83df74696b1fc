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

/** Issue 7 / contract §7: the uploader is the same program, relaunched with only harmless JVM options. */
class RelaunchCommandTest {
    static final String JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    static final Path CWD = Path.of("/home/alice/proj");
    static final Optional<String> SETSID = Optional.of("/usr/bin/setsid");

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
        assertEquals(Optional.of(List.of("/usr/bin/setsid", JAVA,
                "-Xmx128m", "-Xms16m", "-Xss512k", "-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:AOTCache=/opt/roar/app.aot", "-XX:SharedArchiveFile=/opt/roar/app.jsa",
                "-Xshare:auto",
                "-jar", "/home/alice/proj/target/quarkus-app/quarkus-run.jar", "__upload")), command);
    }

    @Test
    void withoutSetsidTheJavaBinaryComesFirst() {
        assertEquals(Optional.of(List.of(JAVA, "-jar", "/opt/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-jar", "/opt/roar/quarkus-run.jar", "telemetry", "--status"));
    }

    @Test
    void aRelativeJarIsMadeAbsoluteAgainstTheWorkingDirectory() {
        assertEquals(Optional.of(List.of(JAVA, "-jar", "/home/alice/tools/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-jar", "../tools/./roar/quarkus-run.jar", "init"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-javaagent:/tmp/a.jar", "-agentlib:jdwp=transport=dt_socket", "-agentpath:/x.so", "-Xdebug", "-Xrunjdwp:x",
        "-XX:AOTCacheOutput=a.aot", "-XX:AOTConfiguration=a.conf", "-XX:AOTMode=record", "-XX:AOTMode=create",
        "-XX:ArchiveClassesAtExit=a.jsa", "-Xshare:dump", "-XX:+AutoCreateSharedArchive", "-XX:DumpLoadedClassList=x",
        "-Dany=thing", "-cp", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=/tmp", "-XX:OnError=sh -c x",
        "-XX:+FlightRecorder", "-XX:StartFlightRecording=filename=x.jfr", "-Xlog:gc:file=/tmp/gc.log",
    })
    void agentsDebuggersTrainingAndEverythingElseAreDropped(String option) {
        assertFalse(RelaunchCommand.isAllowedJvmOption(option), option);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-Xmx1g", "-Xms8m", "-Xss1m", "-XX:MaxRAM=2g", "-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC",
        "-XX:TieredStopAtLevel=1", "-XX:AOTCache=app.aot", "-XX:SharedArchiveFile=app.jsa", "-Xshare:auto",
        "-Xshare:off", "-XX:-UsePerfData",
    })
    void heapGcAndCacheUseOptionsAreKept(String option) {
        assertTrue(RelaunchCommand.isAllowedJvmOption(option), option);
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
        assertEquals(Optional.of(List.of(JAVA, "-jar", "/opt/roar/quarkus-run.jar", "__upload")),
                jvm(Optional.empty(), "-jar", "/opt/roar/quarkus-run.jar", "run", "--", "java", "-jar", "evil.jar"));
    }
}

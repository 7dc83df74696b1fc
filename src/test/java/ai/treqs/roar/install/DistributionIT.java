package ai.treqs.roar.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * The distribution as a user installs it: the archive unpacked into a prefix, {@code bin/roar} linked
 * from another directory on PATH, run from an unrelated working directory on the user's Java.
 */
@NativeSkips.JvmOnly("the distribution is the JVM application with its launcher (bin/roar picks a Java and makes "
        + "its start-up cache); the native executable is installed on its own")
class DistributionIT {
    static final String VERSION = System.getProperty("roar.version", "0.3.0");
    static final Path TARBALL = Path.of(System.getProperty("roar.dist", "target/roar-" + VERSION + ".tar.gz")).toAbsolutePath();
    static final Path ZIP = TARBALL.resolveSibling("roar-" + VERSION + ".zip");
    static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir Path root;
    Path home;
    Path linkDir;

    @BeforeEach
    void install() throws Exception {
        Path prefix = Files.createDirectories(root.resolve("opt"));
        assertEquals(0, sh(prefix, "tar xzf '" + TARBALL + "'").exitCode, "unpacks");
        home = prefix.resolve("roar-" + VERSION);
        // ~/bin/roar -> ../links/roar -> /prefix/roar-x/bin/roar: a relative link in a chain of links
        linkDir = Files.createDirectories(root.resolve("user/bin"));
        Path links = Files.createDirectories(root.resolve("user/links"));
        Files.createSymbolicLink(links.resolve("roar"), home.resolve("bin/roar"));
        Files.createSymbolicLink(linkDir.resolve("roar"), Path.of("../links/roar"));
    }

    @Test
    void theArchivesHoldTheLauncherTheApplicationCompletionManPagesLicenseAndReadme() throws Exception {
        List<String> expected = List.of("bin/roar", "lib/quarkus-app/quarkus-run.jar", "lib/quarkus-app/roar.build",
                "share/bash-completion/completions/roar", "share/zsh/site-functions/_roar",
                "share/man/man1/roar.1", "share/man/man1/roar-init.1", "share/man/man1/roar-reset.1",
                "share/man/man1/roar-run.1", "share/man/man1/roar-telemetry.1", "LICENSE", "README.md");
        for (String file : expected) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_EXECUTE), Files.getPosixFilePermissions(home.resolve("bin/roar")));
        assertTrue(Files.readString(home.resolve("LICENSE")).contains("Apache License"));
        try (Stream<Path> files = Files.walk(home)) {
            List<String> names = files.map(p -> home.relativize(p).toString()).toList();
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".aot") || n.endsWith(".jsa") || n.endsWith("roar.jvm")
                    || n.contains("__upload")), "no start-up cache, no JDK path, no internal command: " + names);
        }
        assertEquals(Files.readString(RoarProcess.launcherScript()), Files.readString(home.resolve("bin/roar")),
                "target/roar is the same script");

        Set<String> inZip = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                inZip.add(e.nextElement().getName());
            }
        }
        for (String file : expected) {
            assertTrue(inZip.contains("roar-" + VERSION + "/" + file), file + " in the zip");
        }
        Run listing = sh(root, "unzip -Z '" + ZIP + "' 'roar-" + VERSION + "/bin/roar'");
        assumeTrue(listing.exitCode == 0, "unzip is not installed");
        assertTrue(listing.out.startsWith("-rwxr-xr-x"), listing.out);
    }

    @Test
    void runsThroughLinksFromAnUnrelatedDirectoryOnJava17Java25AndJavaOnPath() throws Exception {
        for (Path jdk : new Path[] {JDK17, JDK25, null}) {
            if (jdk != null && !Files.isExecutable(jdk.resolve("bin/java"))) {
                continue;
            }
            RoarProcess roar = user(jdk);
            RoarProcess.Result version = roar.run("--version");
            assertEquals(0, version.exitCode(), version.stderr());
            String expectedJava = jdk == null ? javaVersion(Path.of(realJavaOnPath()).getParent().getParent())
                    : javaVersion(jdk);
            assertTrue(version.stdout().startsWith("roar " + VERSION + "\nJava " + expectedJava + " ("), version.stdout());
            assertEquals("", version.stderr());

            RoarProcess.Result status = roar.run("telemetry", "--status");
            assertEquals(0, status.exitCode(), status.stderr());
            assertTrue(status.stdout().startsWith("Telemetry: "), status.stdout());
            assertEquals("", status.stderr());
        }
    }

    @Test
    void noJavaOrAnOldJavaIsOneLineAndExit1() throws Exception {
        RoarProcess noJava = user(null).env("PATH", root.resolve("empty") + ":/nonexistent");
        Files.createDirectories(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("empty/roar"), home.resolve("bin/roar"));
        Files.createSymbolicLink(root.resolve("empty/bash"), Path.of(which("bash")));
        Files.createSymbolicLink(root.resolve("empty/readlink"), Path.of(which("readlink")));
        RoarProcess.Result none = noJava.run("--version");
        assertEquals(1, none.exitCode());
        assertEquals("roar: no Java found: install Java 17 or newer, or set JAVA_HOME\n", none.stderr());

        Path old = Files.createDirectories(root.resolve("jdk-11/bin"));
        Files.writeString(old.resolveSibling("release"), "IMPLEMENTOR=\"Old\"\nJAVA_VERSION=\"11.0.2\"\n");
        Files.writeString(old.resolve("java"), "#!/bin/sh\necho should not run >&2; exit 9\n");
        Files.setPosixFilePermissions(old.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        RoarProcess.Result eleven = user(old.getParent()).run("--version");
        assertEquals(1, eleven.exitCode());
        assertEquals("roar: needs Java 17 or newer; " + old.resolve("java") + " is Java 11.0.2\n", eleven.stderr());
        assertEquals("", eleven.stdout());

        RoarProcess.Result broken = user(root.resolve("no-such-jdk")).run("--version");
        assertEquals(1, broken.exitCode());
        assertEquals(1, broken.stderr().lines().count(), broken.stderr());
        assertTrue(broken.stderr().startsWith("roar: JAVA_HOME is "), broken.stderr());
    }

    @Test
    void roarJavaOptsReachTheJvm() throws Exception {
        RoarProcess.Result result = user(null).env("ROAR_JAVA_OPTS", "-XX:+PrintCommandLineFlags -Droar.test=1")
                .run("--version");
        assertEquals(0, result.exitCode(), result.stderr());
        // JVM output goes to stderr, never into the user's stdout
        assertTrue(result.stderr().contains("-XX:+PrintCommandLineFlags"), result.stderr());
        assertEquals("roar " + VERSION, result.stdout().lines().findFirst().orElse(""), result.stdout());
    }

    @Test
    void theStartUpCacheIsMadeInTheBackgroundForTheJavaThatRunsAndABrokenOneIsSkipped() throws Exception {
        assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "needs a JDK 25");
        RoarProcess roar = userWithCache(JDK25);
        Path jvm = roar.root().resolve("cache/roar/jvm");
        java.util.Map<String, String> before = snapshot(home);

        // two first runs at once: one training, one cache, nothing half-written
        Process a = roar.builder("--version").redirectOutput(root.resolve("a.out").toFile()).redirectError(root.resolve("a.err").toFile()).start();
        Process b = roar.builder("--version").redirectOutput(root.resolve("b.out").toFile()).redirectError(root.resolve("b.err").toFile()).start();
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        String expected = Files.readString(root.resolve("a.out"));
        assertEquals(expected, Files.readString(root.resolve("b.out")));
        assertTrue(expected.startsWith("roar " + VERSION + "\nJava " + javaVersion(JDK25)), expected);
        assertEquals("", Files.readString(root.resolve("a.err")) + Files.readString(root.resolve("b.err")));

        assertTrue(RoarProcess.await(java.time.Duration.ofMinutes(6), () -> list(jvm).stream().anyMatch(n -> n.endsWith(".aot"))
                && list(jvm).stream().noneMatch(n -> n.endsWith(".lock"))), "a cache within 6 minutes: " + list(jvm));
        List<String> files = list(jvm);
        assertEquals(2, files.size(), "the cache and the record of what was made: " + files);
        String cacheName = files.get(0);
        assertEquals(cacheName + ".ok", files.get(1));
        assertTrue(cacheName.contains("-java-" + javaVersion(JDK25) + "-") && !cacheName.startsWith("."), cacheName);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(jvm)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(jvm.getParent())));

        RoarProcess.Result second = roar.run("--version");
        assertEquals(expected, second.stdout());
        assertEquals("", second.stderr());

        // a truncated or garbled cache: not used (made again in the background), without a word
        Path cache = jvm.resolve(cacheName);
        byte[] whole = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(whole, whole.length / 2));
        RoarProcess.Result truncated = roar.run("--version");
        assertEquals(expected, truncated.stdout());
        assertEquals("", truncated.stderr());
        Files.write(cache, new byte[4096]);
        RoarProcess.Result zeros = roar.run("telemetry", "--status");
        assertEquals(0, zeros.exitCode(), zeros.stderr());
        assertEquals("", zeros.stderr());
        if (Files.isExecutable(JDK17.resolve("bin/java"))) {
            String jdk17Name = cacheName.substring(0, cacheName.indexOf("-java-")) + "-java-" + javaVersion(JDK17) + "-"
                    + vendor(JDK17) + ".jsa";
            Files.write(jvm.resolve(jdk17Name), new java.util.Random(1).ints(8192).collect(StringBuilder::new,
                    StringBuilder::append, StringBuilder::append).toString().getBytes(StandardCharsets.UTF_8));
            RoarProcess.Result garbled = userWithCache(JDK17).env("XDG_CACHE_HOME", roar.root().resolve("cache").toString()).run("--version");
            assertEquals(0, garbled.exitCode(), garbled.stderr());
            assertEquals("", garbled.stderr());
        }
        assertEquals(before, snapshot(home), "nothing in the distribution changes at run time");
        // the trainings those runs started write into this test's directory: let them finish
        assertTrue(RoarProcess.await(java.time.Duration.ofMinutes(6), () -> list(jvm).stream().noneMatch(n -> n.endsWith(".lock"))),
                list(jvm).toString());
    }

    @Test
    void aCacheDirectoryThatIsASymlinkIsNeitherUsedNorWritten() throws Exception {
        RoarProcess roar = userWithCache(null);
        Path planted = Files.createDirectories(root.resolve("someone-elses"));
        Files.createDirectories(roar.root().resolve("cache/roar"));
        Files.createSymbolicLink(roar.root().resolve("cache/roar/jvm"), planted);
        RoarProcess.Result result = roar.run("--version");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        Thread.sleep(3000);
        assertEquals(List.of(), list(planted), "nothing written through the link");
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsNeitherUsedNorWritten() throws Exception {
        RoarProcess roar = userWithCache(null);
        Path jvm = Files.createDirectories(roar.root().resolve("cache/roar/jvm"));
        Files.setPosixFilePermissions(jvm, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        RoarProcess.Result result = roar.run("--version");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        Thread.sleep(3000);
        assertEquals(List.of(), list(jvm), "no cache made where another user could replace it");
    }

    @Test
    void bashCompletionCompletesTheCommandsButNotTheInternalOne() throws Exception {
        Path script = home.resolve("share/bash-completion/completions/roar");
        assertEquals(List.of("telemetry"), complete(script, "roar", "tel"));
        assertEquals(List.of("--status"), complete(script, "roar", "telemetry", "--sta"));
        List<String> all = complete(script, "roar", "");
        assertTrue(all.containsAll(List.of("init", "reset", "run", "telemetry", "help")), all.toString());
        assertFalse(all.contains("__upload"), all.toString());
        assertEquals(List.of(), complete(script, "roar", "__"));

        // the zsh script and the man pages: ShellCompletionIT (in a real shell) and ManPagesIT
    }

    // ---- helpers ----

    /**
     * A user's shell: their own HOME and caches, roar linked on PATH, an unrelated working directory. Without
     * the launcher's start-up cache: a training would start in the background of every such first run and
     * outlive the test; the cache has its own cases ({@link #userWithCache}).
     */
    RoarProcess user(Path javaHome) throws IOException {
        return userWithCache(javaHome).env("ROAR_NO_JVM_CACHE", "1");
    }

    /** {@link #user}, whose launcher uses and makes its start-up cache as on a user's machine. */
    RoarProcess userWithCache(Path javaHome) throws IOException {
        RoarProcess roar = new RoarProcess(root.resolve("u" + System.nanoTime())).launcher(linkDir.resolve("roar"))
                .cwd(Files.createDirectories(root.resolve("elsewhere")))
                .env("PATH", linkDir + ":/usr/local/bin:/usr/bin:/bin").env("DO_NOT_TRACK", "1");
        return javaHome == null ? roar.without("JAVA_HOME") : roar.env("JAVA_HOME", javaHome.toString());
    }

    static String javaVersion(Path jdk) throws IOException {
        for (String line : Files.readAllLines(jdk.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring("JAVA_VERSION=".length()).replace("\"", "");
            }
        }
        throw new IllegalStateException("no JAVA_VERSION in " + jdk);
    }

    static String vendor(Path jdk) throws IOException {
        for (String line : Files.readAllLines(jdk.resolve("release"))) {
            if (line.startsWith("IMPLEMENTOR=")) {
                return line.substring("IMPLEMENTOR=".length()).replace("\"", "").replaceAll("[^A-Za-z0-9._+-]", "_");
            }
        }
        return "";
    }

    static List<String> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static java.util.Map<String, String> snapshot(Path dir) throws IOException {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                files.put(dir.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    static String realJavaOnPath() throws Exception {
        return Path.of(which("java")).toRealPath().toString();
    }

    static String which(String command) throws Exception {
        Run run = sh(Path.of("/"), "PATH=/usr/local/bin:/usr/bin:/bin command -v " + command);
        assumeTrue(run.exitCode == 0, command + " is not installed");
        return run.out.trim();
    }

    /** Sources the completion script (no interactive shell) and asks its function, as bash would. */
    List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append("'");
        }
        String line = String.join(" ", words);
        Run run = sh(root, "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "; _complete_roar roar; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"", "bash");
        assertEquals(0, run.exitCode, run.err);
        List<String> replies = new ArrayList<>();
        run.out.lines().map(String::trim).filter(s -> !s.isEmpty()).forEach(replies::add);
        return replies;
    }

    record Run(int exitCode, String out, String err) {}

    static Run sh(Path cwd, String script) throws Exception {
        return sh(cwd, script, "sh");
    }

    static Run sh(Path cwd, String script, String shell) throws Exception {
        Process p = new ProcessBuilder(shell, "-c", script).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}

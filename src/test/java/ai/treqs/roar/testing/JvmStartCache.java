package ai.treqs.roar.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The JVM options the process tests start the packaged jar with: the launcher's own ({@code target/roar}: C1
 * only, the serial GC) and a start-up cache of the jar made once per build and JDK, as the launcher makes one
 * on a user's machine (a CDS archive on JDK 17 to 24, an AOT cache on 25 and later). Every process test
 * starts many JVMs; on plain {@code java -jar} each costs more than twice the CPU (docs/development.md).
 *
 * <p>The cache lives in {@code target/it-start-cache/}, named by a hash of the JDK, the jar's path, size and
 * time, so a rebuilt jar or another JDK never meets an old one; two test JVMs (Failsafe forks) share it
 * through a file lock. A cache that cannot be made leaves the flags alone: the tests run, only slower.
 */
public final class JvmStartCache {
    /** The launcher's flags (src/main/launcher/roar), without its cache and log options. */
    static final List<String> LAUNCHER_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private static final Map<Path, List<String>> OPTIONS = new ConcurrentHashMap<>();

    private JvmStartCache() {}

    /** The options to put before {@code -jar jar} for the JDK running this test JVM. */
    public static List<String> options(Path jar) {
        return OPTIONS.computeIfAbsent(jar, JvmStartCache::make);
    }

    private static List<String> make(Path jar) {
        List<String> options = new ArrayList<>(LAUNCHER_FLAGS);
        int feature = Runtime.version().feature();
        try {
            Path dir = jar.getParent().resolveSibling("it-start-cache");
            Files.createDirectories(dir);
            Path cache = dir.resolve(key(jar) + (feature >= 25 ? ".aot" : ".jsa"));
            try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!Files.isRegularFile(cache)) {
                    train(jar, cache, feature);
                }
            }
            if (Files.isRegularFile(cache)) {
                if (feature >= 25) {
                    options.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"));
                } else {
                    options.addAll(List.of("-XX:SharedArchiveFile=" + cache, "-Xshare:auto", "-Xlog:cds*=off"));
                }
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.err.println("[JvmStartCache] no start-up cache for the process tests (" + e + "): they run, slower");
        }
        return List.copyOf(options);
    }

    /**
     * One {@code roar run} in a throwaway install writes the cache (as the launcher's training does), and a
     * {@code --version} that must map it whole proves it before it is renamed in: JDK 17 dies on a truncated
     * archive instead of skipping it.
     */
    private static void train(Path jar, Path cache, int feature) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(cache.getParent(), "train");
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            String record = feature >= 25 ? "-XX:AOTCacheOutput=" + partial : "-XX:ArchiveClassesAtExit=" + partial;
            String use = feature >= 25 ? "-XX:AOTCache=" + partial : "-XX:SharedArchiveFile=" + partial;
            String required = feature >= 25 ? "-XX:AOTMode=on" : "-Xshare:on";
            if (java(work, jar, List.of(record), "run", "--allow-dirty", "--", "true") == 0
                    && Files.size(partial) > 0
                    && java(work, jar, List.of(use, required), "--version") == 0) {
                Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                removeOlder(cache);
            } else {
                System.err.println("[JvmStartCache] training the start-up cache failed: the process tests run without one");
            }
        } finally {
            Files.deleteIfExists(partial);
            try {
                TestFiles.deleteTree(work);
            } catch (IOException e) {
                // the uploader the training run started may still be writing there; it stays under target/
            }
        }
    }

    /** Caches of earlier builds of the jar (about 30 MiB each) would pile up in {@code target/} across rebuilds. */
    private static void removeOlder(Path cache) throws IOException {
        String suffix = cache.getFileName().toString().substring(cache.getFileName().toString().lastIndexOf('.'));
        try (var others = Files.list(cache.getParent())) {
            for (Path other : others.toList()) {
                String name = other.getFileName().toString();
                if (!other.equals(cache) && name.startsWith("roar-") && name.endsWith(suffix)) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    private static int java(Path work, Path jar, List<String> cacheOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RoarProcess.javaBinary()));
        command.addAll(cacheOptions);
        command.addAll(LAUNCHER_FLAGS);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", work.toString(), "XDG_CONFIG_HOME", work.resolve("config").toString(),
                "XDG_CACHE_HOME", work.resolve("cache").toString(), "XDG_CONFIG_DIRS", work.resolve("etc-xdg").toString(),
                "LANG", "C.UTF-8", "ROAR_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/t"));
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** The JDK, the jar's path, size and modification time: what a cache is only valid for. */
    private static String key(Path jar) throws IOException {
        String what = System.getProperty("java.home") + "\n" + Runtime.version() + "\n" + jar.toAbsolutePath() + "\n"
                + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar).toMillis();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8));
            return "roar-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

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

    /** How this JDK makes and uses a start-up cache, as the launcher does: a CDS archive before 25, an AOT cache from 25 on. */
    private record CacheKind(String suffix, String recordFlag, String useFlag, String requiredFlag, List<String> quietFlags) {
        static CacheKind of(int feature) {
            return feature >= 25
                    ? new CacheKind(".aot", "-XX:AOTCacheOutput=", "-XX:AOTCache=", "-XX:AOTMode=on", List.of("-Xlog:aot*=off", "-Xlog:cds*=off"))
                    : new CacheKind(".jsa", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=", "-Xshare:on", List.of("-Xshare:auto", "-Xlog:cds*=off"));
        }
    }

    private static List<String> make(Path jar) {
        List<String> options = new ArrayList<>(LAUNCHER_FLAGS);
        CacheKind kind = CacheKind.of(Runtime.version().feature());
        try {
            Path dir = jar.getParent().resolveSibling("it-start-cache");
            Files.createDirectories(dir);
            Path cache = dir.resolve(key(jar) + kind.suffix());
            try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!Files.isRegularFile(cache)) {
                    train(jar, cache, kind);
                }
            }
            if (Files.isRegularFile(cache)) {
                options.add(kind.useFlag() + cache);
                options.addAll(kind.quietFlags());
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
    private static void train(Path jar, Path cache, CacheKind kind) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(cache.getParent(), "train");
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            RoarProcess install = new RoarProcess(work).env("ROAR_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/t");
            if (java(install, jar, List.of(kind.recordFlag() + partial), "run", "--allow-dirty", "--", "true") == 0
                    && Files.size(partial) > 0
                    && java(install, jar, List.of(kind.useFlag() + partial, kind.requiredFlag()), "--version") == 0) {
                Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                removeOlder(cache, kind);
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
    private static void removeOlder(Path cache, CacheKind kind) throws IOException {
        try (var others = Files.list(cache.getParent())) {
            for (Path other : others.toList()) {
                String name = other.getFileName().toString();
                if (!other.equals(cache) && name.startsWith("roar-") && name.endsWith(kind.suffix())) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    /** {@code java cacheOptions <launcher flags> -jar jar args} in {@code install}'s scrubbed environment; its exit code. */
    private static int java(RoarProcess install, Path jar, List<String> cacheOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RoarProcess.javaBinary()));
        command.addAll(cacheOptions);
        command.addAll(LAUNCHER_FLAGS);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(install.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(install.environment());
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

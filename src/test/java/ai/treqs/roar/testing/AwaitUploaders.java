package ai.treqs.roar.testing;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.FileLocks;

/**
 * Keeps JUnit from removing a test's temporary directory under a detached uploader. A recorded command
 * starts the uploader in the background; it goes on writing the ledger and last-attempt file, holding
 * {@code CACHE_HOME/roar/telemetry/.lock}, after the command and often after the test's own checks have
 * ended, and a directory removed under it fails the test (or the next one) at random.
 *
 * <p>After each test (and after all of a class, for a static {@code @TempDir}) it waits until no process
 * whose environment names a path inside one of the test's {@code @TempDir}s is alive: {@link RoarProcess}
 * puts each install's HOME and XDG directories there and the uploader inherits them, so this covers an
 * uploader still starting as well as one running, and any other background process of an install (a
 * start-up cache training). Then it takes every uploader lock under those directories once. Past
 * {@link #TIMEOUT} it stops what is left and fails the test.
 *
 * <p>Use: {@code @ExtendWith(AwaitUploaders.class)} on a process test class.
 */
public final class AwaitUploaders implements InvocationInterceptor, AfterEachCallback, AfterAllCallback {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AwaitUploaders.class);

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        rememberParameters(call, context);
        invocation.proceed();
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        rememberParameters(call, context);
        invocation.proceed();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<Path> roots = new ArrayList<>(tempDirs(context.getRequiredTestInstance(), false));
        @SuppressWarnings("unchecked")
        List<Path> parameters = context.getStore(NAMESPACE).get("parameters", List.class);
        if (parameters != null) {
            roots.addAll(parameters);
        }
        awaitQuiet(roots);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        awaitQuiet(tempDirs(context.getRequiredTestClass(), true));
    }

    private static void rememberParameters(ReflectiveInvocationContext<Method> call, ExtensionContext context) {
        Parameter[] declared = call.getExecutable().getParameters();
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < declared.length; i++) {
            if (declared[i].isAnnotationPresent(TempDir.class) && call.getArguments().get(i) instanceof Path path) {
                paths.add(path);
            }
        }
        context.getStore(NAMESPACE).put("parameters", paths);
    }

    /** The {@code @TempDir} fields' values: the static ones of {@code target} (a class), or an instance's own. */
    private static List<Path> tempDirs(Object target, boolean statics) throws IllegalAccessException {
        List<Path> paths = new ArrayList<>();
        for (Class<?> c = statics ? (Class<?>) target : target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(TempDir.class) && Modifier.isStatic(field.getModifiers()) == statics) {
                    field.setAccessible(true);
                    if (field.get(statics ? null : target) instanceof Path path) {
                        paths.add(path);
                    }
                }
            }
        }
        return paths;
    }

    /** Waits for the processes that live in {@code roots}, then for their uploader locks. */
    public static void awaitQuiet(List<Path> roots) throws Exception {
        if (roots.isEmpty()) {
            return;
        }
        List<String> prefixes = new ArrayList<>();
        for (Path root : roots) {
            prefixes.add(root.toAbsolutePath().normalize().toString());
            if (Files.exists(root)) {
                prefixes.add(root.toRealPath().toString());
            }
        }
        long start = System.nanoTime();
        long deadline = start + TIMEOUT.toNanos();
        List<ProcessHandle> alive = livingIn(prefixes);
        boolean waited = !alive.isEmpty();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            alive = livingIn(prefixes);
        }
        if (waited) {
            // in the test's report: how often a test would otherwise have ended under a running process
            System.err.println("AwaitUploaders: waited " + (System.nanoTime() - start) / 1_000_000 + " ms for the processes of " + roots);
        }
        if (!alive.isEmpty()) {
            List<String> described = alive.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
            alive.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("still running in " + roots + " after " + TIMEOUT.toSeconds() + " s (stopped now): " + described);
        }
        for (Path lock : uploaderLocks(roots)) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            Optional<FileLocks.Held> free;
            try {
                free = FileLocks.acquire(lock, left);
            } catch (IOException e) {
                continue; // a lock file a test made unwritable: its processes were waited for above
            }
            if (free.isEmpty()) {
                throw new AssertionError("an uploader still holds " + lock + " after " + TIMEOUT.toSeconds() + " s");
            }
            free.get().close();
        }
    }

    /** Processes other than this JVM whose environment has a value inside one of {@code prefixes}. */
    private static List<ProcessHandle> livingIn(List<String> prefixes) {
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != self && p.isAlive() && environmentPointsInto(p.pid(), prefixes)).toList();
        }
    }

    private static boolean environmentPointsInto(long pid, List<String> prefixes) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return false; // gone, or another user's
        }
        for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
            String value = entry.substring(entry.indexOf('=') + 1);
            for (String prefix : prefixes) {
                if (value.equals(prefix) || value.startsWith(prefix + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every {@code roar/telemetry/.lock} that is a regular file under {@code roots} (never through a link or a FIFO). */
    private static List<Path> uploaderLocks(List<Path> roots) throws IOException {
        List<Path> locks = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(root, 8)) {
                tree.filter(p -> p.endsWith(Path.of("roar", "telemetry", ".lock"))
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(locks::add);
            } catch (java.io.UncheckedIOException e) {
                // a directory a test made unreadable: its processes were waited for above
            }
        }
        return locks;
    }
}

package ai.treqs.roar.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The one place where a process test says why it does not run against the native executable
 * ({@code ./mvnw verify -Dnative-its}, {@link RoarProcess#isNative()}); docs/native.md lists every use.
 * On the JVM build both annotations change nothing. The test shows as skipped, with the reason.
 */
public final class NativeSkips implements ExecutionCondition {

    /**
     * The test (class or method) is about the JVM build itself: JVM options, {@code java -jar}, the launcher
     * script, the JVM distribution or the JVM's start-up cache. It has no native counterpart to run.
     */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(NativeSkips.class)
    public @interface JvmOnly {
        /** Why, in words. */
        String value();
    }

    /**
     * The executable under test was linked here by native-check's stand-ins
     * ({@code link/} of the directory {@code -Droar.native-check} names, not a GraalVM or Mandrel distribution)
     * and the test hits one of them: skipped only when the executable carries their mark, so against a real
     * native build it runs.
     */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(NativeSkips.class)
    public @interface LinkStandIn {
        /** Which stand-in, and what it does wrong. */
        String value();
    }

    /** What {@code link.sh} links into every executable it makes (its stand-ins' messages). */
    static final String LINK_STAND_IN_MARK = "native-check link: ";

    private static Boolean linkedByStandIns;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!RoarProcess.isNative()) {
            return ConditionEvaluationResult.enabled("the JVM build runs every test");
        }
        Optional<JvmOnly> jvmOnly = AnnotationSupport.findAnnotation(context.getElement(), JvmOnly.class);
        if (jvmOnly.isPresent()) {
            return ConditionEvaluationResult.disabled("JVM build only: " + jvmOnly.get().value());
        }
        Optional<LinkStandIn> standIn = AnnotationSupport.findAnnotation(context.getElement(), LinkStandIn.class);
        if (standIn.isPresent() && linkedByStandIns()) {
            return ConditionEvaluationResult.disabled("native-check link stand-in: " + standIn.get().value());
        }
        return ConditionEvaluationResult.enabled("runs natively");
    }

    /** Whether the native executable carries the link stand-ins' messages (read once per test JVM). */
    static synchronized boolean linkedByStandIns() {
        if (linkedByStandIns == null) {
            linkedByStandIns = contains(RoarProcess.nativeExecutable(), LINK_STAND_IN_MARK);
        }
        return linkedByStandIns;
    }

    static boolean contains(Path file, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[1 << 20];
        int kept = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer, kept, buffer.length - kept)) > 0) {
                int end = kept + n;
                if (occurs(buffer, end, needle)) {
                    return true;
                }
                kept = Math.min(needle.length - 1, end); // a match may straddle two reads
                System.arraycopy(buffer, end - kept, buffer, 0, kept);
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e, e);
        }
    }

    private static boolean occurs(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

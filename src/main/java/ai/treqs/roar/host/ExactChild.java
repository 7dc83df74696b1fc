package ai.treqs.roar.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the child of {@code roar run} gets exactly the user's bytes (docs/host-commands.md#what-the-child-gets).
 * The JVM holds arguments and environment values as text: a byte that is not valid in its charset (a
 * Latin-1 file name under a UTF-8 or POSIX locale) became U+FFFD when it started and would reach the
 * child so. The kernel still has the bytes ({@code /proc/self/cmdline}, {@code /proc/self/environ}):
 * when an argument does not survive the trip through text, the child is started through {@code /bin/sh},
 * which turns printf escapes back into those bytes, and {@code env -i}, which then gives the command the
 * environment byte for byte (the shell's own additions, such as {@code PWD}, never reach it). Pure:
 * the bytes come in, the command line goes out.
 */
final class ExactChild {
    /** Rebuilds each argument from its printf escapes, then runs them: {@code env -i NAME=VALUE... CMD ARGS...}. */
    static final String SCRIPT = "for a do shift; a=$(printf \"${a}_\"); set -- \"$@\" \"${a%_}\"; done; exec \"$@\"";

    /** The JDKs before 20 start every child with SIGQUIT blocked (the JVM blocks it in its own threads). */
    static final int FIRST_JDK_CLEARING_THE_MASK = 20;
    private static final int MAX_BLOCK = 4 << 20;

    private ExactChild() {}

    /** What to start: the command line, and the environment (null: the inherited one, edited to {@code wanted}). */
    record Plan(List<String> command, Map<String, String> environment) {}

    /**
     * The command line that gives {@code command} the user's bytes and a clear signal mask. {@code sigquitReset}
     * is the {@code env} option that unblocks SIGQUIT on a JDK that leaves it blocked (empty: none is needed or
     * the {@code env} here has none). {@code wanted} is applied to the inherited environment by
     * {@link #applyTo}, so that every value roar passes on unchanged keeps the user's bytes.
     */
    static Plan plan(List<String> command, Map<String, String> wanted, List<String> sigquitReset, String env) {
        Charset argv = charset("sun.jnu.encoding");
        Charset child = Runtime.version().feature() >= 18 ? argv : Charset.defaultCharset();
        List<byte[]> raw = rawTail(split(read(Path.of("/proc/self/cmdline"))), command, argv);
        // env would take a CMD with '=' for an assignment and one starting with '-' for an option
        boolean envCanRunIt = command.get(0).indexOf('=') < 0 && !command.get(0).startsWith("-");
        boolean sigquitPrefix = !sigquitReset.isEmpty() && envCanRunIt;
        if (raw == null || survivesAsText(raw, command, child) || !envCanRunIt || !Files.isExecutable(SH)
                || !Files.isExecutable(Path.of(env))) {
            List<String> line = new ArrayList<>();
            if (sigquitPrefix) {
                line.add(env);
                line.addAll(sigquitReset);
            }
            line.addAll(command);
            return new Plan(line, null);
        }
        List<byte[]> entries = environment(wanted, split(read(Path.of("/proc/self/environ"))), child);
        return new Plan(throughShell(SH.toString(), env, sigquitPrefix ? sigquitReset : List.of(), entries, raw), Map.of());
    }

    /** Edits the inherited environment into {@code wanted}: entries left alone keep the bytes the user gave them. */
    static void applyTo(Map<String, String> inherited, Map<String, String> wanted) {
        inherited.keySet().retainAll(wanted.keySet());
        wanted.forEach((name, value) -> {
            if (!value.equals(inherited.get(name))) {
                inherited.put(name, value);
            }
        });
    }

    private static final Path SH = Path.of("/bin/sh");

    private static Charset charset(String property) {
        try {
            return Charset.forName(System.getProperty(property, Charset.defaultCharset().name()));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static byte[] read(Path procFile) {
        try (InputStream in = Files.newInputStream(procFile)) {
            return in.readNBytes(MAX_BLOCK);
        } catch (IOException | SecurityException e) {
            return new byte[0]; // not Linux: the text is all there is
        }
    }

    /** The raw bytes of {@code decoded} at the end of {@code rawArgs}, when each one decodes to its text; else null. */
    static List<byte[]> rawTail(List<byte[]> rawArgs, List<String> decoded, Charset charset) {
        if (rawArgs.size() < decoded.size()) {
            return null;
        }
        List<byte[]> tail = rawArgs.subList(rawArgs.size() - decoded.size(), rawArgs.size());
        for (int i = 0; i < decoded.size(); i++) {
            if (!new String(tail.get(i), charset).equals(decoded.get(i))) {
                return null; // not the same arguments (picocli changed them): the text is all there is
            }
        }
        return tail;
    }

    /** Whether every argument, encoded again as the JVM will encode it for the child, is the user's bytes. */
    static boolean survivesAsText(List<byte[]> raw, List<String> decoded, Charset charset) {
        for (int i = 0; i < raw.size(); i++) {
            if (!Arrays.equals(raw.get(i), decoded.get(i).getBytes(charset))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The environment entries {@code NAME=VALUE} the child gets, as bytes: the user's own bytes for each entry
     * that roar passes on unchanged, the text's bytes for what roar set itself.
     */
    static List<byte[]> environment(Map<String, String> wanted, List<byte[]> rawEnviron, Charset charset) {
        Map<String, byte[]> raw = new java.util.HashMap<>();
        for (byte[] entry : rawEnviron) {
            raw.put(new String(entry, charset), entry);
        }
        List<byte[]> out = new ArrayList<>();
        wanted.forEach((name, value) -> {
            String entry = name + "=" + value;
            out.add(raw.getOrDefault(entry, entry.getBytes(charset)));
        });
        return out;
    }

    /** {@code sh -c SCRIPT sh} followed by every word printf-escaped: {@code env -i [options] ENTRIES... ARGS...}. */
    static List<String> throughShell(String sh, String env, List<String> envOptions, List<byte[]> entries, List<byte[]> args) {
        List<String> command = new ArrayList<>(List.of(sh, "-c", SCRIPT, "sh"));
        List<byte[]> words = new ArrayList<>();
        words.add(env.getBytes(Charset.defaultCharset()));
        words.add("-i".getBytes(Charset.defaultCharset()));
        envOptions.forEach(o -> words.add(o.getBytes(Charset.defaultCharset())));
        words.addAll(entries);
        words.addAll(args);
        words.forEach(w -> command.add(printfEscaped(w)));
        return command;
    }

    /** A printf format that prints exactly {@code bytes}: letters, digits and {@code /._} as themselves, every other byte as {@code \ooo}. */
    static String printfEscaped(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '_') {
                out.append((char) c);
            } else {
                out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7))).append((char) ('0' + (c & 7)));
            }
        }
        return out.toString();
    }

    /** NUL-separated strings ({@code /proc/self/cmdline}, {@code /proc/self/environ}) as byte arrays. */
    static List<byte[]> split(byte[] block) {
        List<byte[]> parts = new ArrayList<>();
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        for (int i = 0; i < block.length; i++) {
            if (block[i] == 0) {
                parts.add(part.toByteArray());
                part.reset();
            } else {
                part.write(block[i]);
            }
        }
        if (part.size() > 0) {
            parts.add(part.toByteArray());
        }
        return parts;
    }
}

package ai.treqs.roar.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the child of {@code roar run} gets exactly the user's bytes (docs/host-commands.md#what-the-child-gets).
 * The JVM holds arguments as text: a byte that is not valid in its charset (a Latin-1 file name under a UTF-8
 * or POSIX locale) became U+FFFD when it started and would reach the child so. The kernel still has the bytes
 * ({@code /proc/self/cmdline}): when an argument does not survive the trip through text, the child is started
 * through {@code /bin/sh}, which turns printf escapes back into those bytes, and then {@code env}. The
 * environment is the inherited one, edited: Java keeps the bytes of every inherited entry it passes on
 * unchanged, so it reaches the shell as the user had it; only what the shell drops (a name that is not a shell
 * variable name, such as {@code -S...} or {@code a.b}, which the shell then never gets) or sets itself ({@code PWD}, {@code OLDPWD},
 * {@code SHLVL}, {@code _}) is given again, or removed, on {@code env}'s command line, after {@code --}. The
 * shell also opens again the descriptors above 2 that roar inherited ({@link InheritedDescriptors}). Pure:
 * the bytes come in, the command line goes out.
 */
final class ExactChild {
    /** Rebuilds each argument from its printf escapes, then runs them: {@code env [OPTIONS] -- NAME=VALUE... CMD ARGS...}. */
    static final String SCRIPT = "for a do shift; a=$(printf \"${a}_\"); set -- \"$@\" \"${a%_}\"; done; exec \"$@\"";
    /**
     * The same for bash, with the bytes taken apart in the C locale: in a multibyte locale whose characters can end
     * in {@code \} (Shift_JIS, GBK, Big5) bash 5.2's {@code ${a%_}} returned other memory in place of the word. The
     * user's locale is back (the function's {@code local} ends) before {@code exec}; {@code __roar_} names are roar's.
     */
    static final String BASH_SCRIPT = "__roar_rebuild() { local LC_ALL=C a; for a do __roar_args+=(\"$(printf \"${a}_\")\"); "
            + "__roar_args[-1]=${__roar_args[-1]%_}; done; }; __roar_args=(); __roar_rebuild \"$@\"; exec \"${__roar_args[@]}\"";

    /** The JDKs before 20 start every child with SIGQUIT blocked (the JVM blocks it in its own threads). */
    static final int FIRST_JDK_CLEARING_THE_MASK = 20;
    /** Variables a {@code /bin/sh} sets or changes for the commands it runs (dash: PWD; bash: all four). */
    static final List<String> SET_BY_THE_SHELL = List.of("PWD", "OLDPWD", "SHLVL", "_");
    /** Variables that change what a {@code /bin/sh} does with the script (bash: options, a file to read first). */
    static final List<String> READ_BY_THE_SHELL = List.of("ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4", "IFS", "CDPATH");
    /**
     * What {@code bash -p} (5.2) sets, resets or drops for itself when it starts (it reads none of them, nor ENV,
     * BASH_ENV or a function): its read-only and dynamic variables and the prompts.
     */
    static final List<String> RESET_BY_BASH = List.of("BASH", "BASHOPTS", "BASHPID", "BASH_ARGV0", "BASH_COMMAND",
            "BASH_EXECUTION_STRING", "BASH_SUBSHELL", "BASH_VERSINFO", "BASH_VERSION", "COMP_WORDBREAKS", "EPOCHREALTIME",
            "EPOCHSECONDS", "HISTCMD", "IFS", "LINENO", "OPTERR", "OPTIND", "PPID", "PS1", "PS2", "PS4", "RANDOM", "SHELLOPTS",
            "SRANDOM");
    private static final int MAX_BLOCK = 4 << 20;
    private static final int MAX_SEQUENCE = 4;

    private ExactChild() {}

    /**
     * What to start; its environment is the inherited one edited to {@code wanted} ({@link #applyTo}), less
     * {@code withheld}: the names only {@code env}'s command line gives, which the shell never sees (bash would
     * import a {@code BASH_FUNC_printf%%} as a function and run it in place of printf).
     */
    record Plan(List<String> command, Set<String> withheld) {}

    /**
     * The command line that gives {@code command} the user's bytes and a clear signal mask. {@code sigquitReset}
     * is the {@code env} option that unblocks SIGQUIT on a JDK that leaves it blocked (empty: none is needed or
     * the {@code env} here has none). {@code wanted} is applied to the inherited environment by
     * {@link #applyTo}, so that every value roar passes on unchanged keeps the user's bytes.
     */
    static Plan plan(List<String> command, Map<String, String> wanted, List<String> sigquitReset, String env,
            List<String> reopened) {
        Charset argv = charset("sun.jnu.encoding");
        Charset child = Runtime.version().feature() >= 18 ? argv : Charset.defaultCharset();
        List<byte[]> raw = rawTail(split(read(Path.of("/proc/self/cmdline"))), command, argv);
        // after env's "--" a CMD starting with '-' is a command; one with '=' is still an assignment
        boolean envCanRunIt = command.get(0).indexOf('=') < 0;
        boolean sigquitPrefix = !sigquitReset.isEmpty() && envCanRunIt;
        boolean textIsExact = raw == null || survivesAsText(raw, command, child);
        boolean bash = Files.isExecutable(BASH);
        if ((textIsExact && reopened.isEmpty()) || !envCanRunIt || !(bash || Files.isExecutable(SH)) || !Files.isExecutable(Path.of(env))) {
            List<String> line = new ArrayList<>();
            if (sigquitPrefix) {
                line.add(env);
                line.addAll(sigquitReset);
                line.add("--");
            }
            line.addAll(command);
            return new Plan(line, Set.of());
        }
        List<String> options = new ArrayList<>(sigquitPrefix ? sigquitReset : List.of());
        SET_BY_THE_SHELL.stream().filter(name -> !wanted.containsKey(name)).forEach(name -> options.addAll(List.of("-u", name)));
        Map<String, String> again = bash ? givenAgainPastBash(wanted) : givenAgain(wanted);
        List<byte[]> entries = environment(again, split(read(Path.of("/proc/self/environ"))), child);
        Set<String> withheld = bash ? Set.of() : again.keySet().stream()
                .filter(name -> !isShellName(name) || READ_BY_THE_SHELL.contains(name)).collect(Collectors.toSet());
        List<byte[]> args = raw != null ? raw : command.stream().map(a -> a.getBytes(child)).toList();
        List<String> shell = bash ? List.of(BASH.toString(), "-p") : List.of(SH.toString());
        return new Plan(throughShell(shell, reopening(reopened) + (bash ? BASH_SCRIPT : SCRIPT), env, options, entries, args, child),
                withheld);
    }

    /**
     * The script's start that opens each descriptor again ({@code 3</proc/PID/fd/3}); one that cannot be opened
     * stays closed, silently ({@code command} keeps a failed {@code exec} from ending the shell).
     */
    static String reopening(List<String> redirections) {
        StringBuilder out = new StringBuilder();
        redirections.forEach(r -> out.append("{ command exec ").append(r).append("; } 2>/dev/null; "));
        return out.toString();
    }

    /** The entries of {@code wanted} the shell would not pass on as they are (names it drops, those it sets) or would read. */
    static Map<String, String> givenAgain(Map<String, String> wanted) {
        Map<String, String> again = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            if (!isShellName(name) || SET_BY_THE_SHELL.contains(name) || READ_BY_THE_SHELL.contains(name)) {
                again.put(name, value);
            }
        });
        return again;
    }

    /**
     * The entries of {@code wanted} that {@code bash -p} would not pass on as they are: those it sets or resets.
     * It passes every other entry on as it came (a name that is not a variable name, a function, ENV), so the
     * values of the user's environment stay out of the command lines every local user can read.
     */
    static Map<String, String> givenAgainPastBash(Map<String, String> wanted) {
        Map<String, String> again = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            if (SET_BY_THE_SHELL.contains(name) || RESET_BY_BASH.contains(name)) {
                again.put(name, value);
            }
        });
        return again;
    }

    /** A name a POSIX shell keeps as a variable: a letter or {@code _}, then letters, digits and {@code _} (ASCII). */
    static boolean isShellName(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    }

    private static final Path SH = Path.of("/bin/sh");
    /** Preferred to {@code /bin/sh} (dash drops names that are not variable names, which would go on a command line). */
    private static final Path BASH = Path.of("/bin/bash");

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
     * The environment entries {@code NAME=VALUE} of {@code wanted} as bytes: the user's own bytes for each entry
     * that roar passes on unchanged, the text's bytes for what roar set itself.
     */
    static List<byte[]> environment(Map<String, String> wanted, List<byte[]> rawEnviron, Charset charset) {
        Map<String, byte[]> raw = new HashMap<>();
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

    /**
     * {@code sh -c SCRIPT sh} followed by every word as a printf format for its bytes:
     * {@code env [OPTIONS] -- ENTRIES... ARGS...}; after {@code --} env takes no word for an option.
     */
    static List<String> throughShell(List<String> shell, String script, String env, List<String> envOptions, List<byte[]> entries,
            List<byte[]> args, Charset charset) {
        List<String> command = new ArrayList<>(shell);
        command.addAll(List.of("-c", script, "sh"));
        List<byte[]> words = new ArrayList<>();
        words.add(env.getBytes(charset));
        envOptions.forEach(o -> words.add(o.getBytes(charset)));
        words.add("--".getBytes(charset));
        words.addAll(entries);
        words.addAll(args);
        words.forEach(w -> command.add(printfEscaped(w, charset)));
        return command;
    }

    /**
     * A printf format that prints exactly {@code bytes}, as text that {@code charset} encodes back to itself:
     * {@code \} and {@code %} doubled, a leading {@code -} (an option to some printf) and every byte that is
     * not part of a character of {@code charset} as {@code \ooo}; the rest as itself, so a word grows only by
     * what must be escaped.
     */
    static String printfEscaped(byte[] bytes, Charset charset) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int c = bytes[i] & 0xff;
            if (c == '\\' || c == '%') {
                out.append((char) c).append((char) c);
                i++;
            } else if (c == 0 || (c == '-' && i == 0)) {
                octal(out, c);
                i++;
            } else if (c < 0x80) {
                out.append((char) c);
                i++;
            } else {
                int length = character(bytes, i, charset);
                if (length > 0) {
                    out.append(new String(bytes, i, length, charset));
                    i += length;
                } else {
                    octal(out, c);
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** The length of the character of {@code charset} whose bytes (all 0x80 or more) start at {@code from}; 0 for none. */
    private static int character(byte[] bytes, int from, Charset charset) {
        for (int length = 1; length <= MAX_SEQUENCE && from + length <= bytes.length; length++) {
            if ((bytes[from + length - 1] & 0xff) < 0x80) {
                return 0;
            }
            byte[] sequence = Arrays.copyOfRange(bytes, from, from + length);
            if (Arrays.equals(sequence, new String(sequence, charset).getBytes(charset))) {
                return length;
            }
        }
        return 0;
    }

    private static void octal(StringBuilder out, int c) {
        out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7))).append((char) ('0' + (c & 7)));
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

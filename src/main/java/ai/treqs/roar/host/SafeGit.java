package ai.treqs.roar.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How roar runs git in a directory it does not trust: no setting of the repository's {@code .git/config},
 * {@code .gitattributes} or hooks can start a program (docs/security.md#a-cloned-repository-anyone-who-can-get-you-to-cd-into-a-directory).
 * What git 2.39 could execute during {@code status --porcelain} and {@code ls-files}, and what stops it:
 * <ul>
 * <li>{@code core.fsmonitor}: set to false on the command line, which is read after every file;</li>
 * <li>filter drivers ({@code clean}, {@code smudge}, {@code process}), run to compare a tracked file whose
 * stat data changed: every driver name the configuration defines is listed first ({@code git config}
 * only reads files) and its commands set empty, {@code required} false. A name the command line cannot
 * express (it holds {@code =}) means status is not run at all;</li>
 * <li>a partial clone's lazy fetch of a missing object (ssh with {@code core.sshCommand}, {@code ext::},
 * a local {@code uploadpack}, a remote helper): {@code GIT_ALLOW_PROTOCOL} empty allows no transport;</li>
 * <li>submodules, whose own configuration names other drivers: not looked into;</li>
 * <li>hooks, the pager, external diff and textconv: these calls run no hook, print to a pipe and make
 * no patch text (no rename detection either); {@code core.hooksPath} and the pager are still pinned.</li>
 * </ul>
 */
final class SafeGit {
    /** Added to git's environment: no transport at all (git 2.45+ also skips the lazy fetch), no prompt. */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "GIT_ALLOW_PROTOCOL", "",
            "GIT_NO_LAZY_FETCH", "1",
            "GIT_TERMINAL_PROMPT", "0",
            "GIT_OPTIONAL_LOCKS", "0");

    /**
     * How long one git call may take: a FIFO named by an {@code [include] path} blocks git for ever; a call
     * that does not finish in time answers "no repository" (not dirty, not tracked).
     */
    static final Duration BOUND = Duration.ofSeconds(30);

    private static final List<String> PINNED = List.of(
            "--no-pager", "--no-optional-locks",
            "-c", "core.fsmonitor=false",
            "-c", "core.hooksPath=/dev/null");

    /** Lists every {@code filter.*} key of the configuration, NUL-separated, names only. */
    static final List<String> LIST_FILTERS = command(Set.of(), "config", "--null", "--name-only", "--get-regexp", "^filter\\.");

    private SafeGit() {}

    /** {@code git <pinned options> <one override per driver> args...}. */
    static List<String> command(Set<String> filterDrivers, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(PINNED);
        for (String driver : filterDrivers) {
            for (String key : List.of("clean", "smudge", "process")) {
                command.addAll(List.of("-c", "filter." + driver + "." + key + "="));
            }
            command.addAll(List.of("-c", "filter." + driver + ".required=false"));
        }
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The driver names in {@code git config --null --name-only} output ({@code filter.<name>.<key>}, the name
     * may hold dots); empty when one cannot be given on a command line, so no call may rely on it.
     */
    static Optional<Set<String>> filterDrivers(String listing) {
        Set<String> names = new TreeSet<>();
        for (String key : listing.split("\0")) {
            if (key.isEmpty()) {
                continue;
            }
            int first = key.indexOf('.');
            int last = key.lastIndexOf('.');
            if (first < 0 || last <= first) {
                continue; // "filter.clean": no subsection, no driver
            }
            String name = key.substring(first + 1, last);
            if (name.contains("=") || name.contains("\n")) {
                return Optional.empty();
            }
            names.add(name);
        }
        return Optional.of(names);
    }
}

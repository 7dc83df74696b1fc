package ai.treqs.roar.collector.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * A failure in words with its cause, once: the SQL state, the exception's class and its message, never anything a
 * client sent (PostgreSQL's detail line is off, {@code logServerErrorDetail=false}, and quoted values in a message
 * are cut). A failure that repeats (every request while the database is down) is logged the first time, then at
 * most once every {@link #REPEAT} with how many times it happened since, so an outage is a few lines, not one a
 * request. docs/collector.md#when lists the lines.
 */
public final class FailureLog {
    static final Duration REPEAT = Duration.ofSeconds(30);
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'");

    private record Seen(long firstNanos, long repeats) {}

    private final Logger log;
    private final ConcurrentMap<String, Seen> seen = new ConcurrentHashMap<>();

    public FailureLog(Class<?> owner) {
        this.log = Logger.getLogger(owner);
    }

    /** {@code SQL state 25006, org.postgresql.util.PSQLException: ERROR: cannot execute INSERT in a read-only transaction}. */
    public static String cause(Throwable e) {
        StringBuilder out = new StringBuilder();
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            out.append("SQL state ").append(sql.getSQLState()).append(", ");
        }
        out.append(e.getClass().getName());
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            out.append(": ").append(QUOTED.matcher(message.strip()).replaceAll("\"…\""));
        }
        Throwable inner = e.getCause();
        if (inner != null && inner != e) {
            out.append(" (caused by ").append(inner.getClass().getName()).append(')');
        }
        return out.toString();
    }

    /** Logs {@code what} with {@code e}'s cause, or counts it when the same failure was logged within {@link #REPEAT}. */
    public void failed(String what, Throwable e) {
        note(what + '|' + (e instanceof SQLException sql ? sql.getSQLState() : e.getClass().getName()), what + ": " + cause(e));
    }

    /** Logs {@code what} without an exception (the queue full, a wait run out), counted like {@link #failed}. */
    public void failed(String what) {
        note(what, what);
    }

    private void note(String key, String line) {
        long now = System.nanoTime();
        Seen before = seen.get(key);
        if (before != null && now - before.firstNanos() < REPEAT.toNanos()) {
            seen.computeIfPresent(key, (k, s) -> new Seen(s.firstNanos(), s.repeats() + 1));
            return;
        }
        seen.put(key, new Seen(now, 0));
        if (before != null && before.repeats() > 0) {
            log.warnf("%s (and %d more times in the %d s before)", line, before.repeats(), REPEAT.toSeconds());
        } else {
            log.warn(line);
        }
    }

    /** After failures: one line that it works again (nothing when nothing had failed). */
    public void recovered(String what) {
        if (!seen.isEmpty()) {
            long repeats = seen.values().stream().mapToLong(s -> s.repeats() + 1).sum();
            seen.clear();
            log.infof("%s (after %d failures)", what, repeats);
        }
    }

    /** A defect: logged every time, with its cause, at error level. */
    public void defect(String what, Throwable e) {
        log.error(what + ": " + cause(e));
    }
}

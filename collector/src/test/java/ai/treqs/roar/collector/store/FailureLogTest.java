package ai.treqs.roar.collector.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** How a failure's cause reads in the log: SQL state, class, message, and no quoted value. */
class FailureLogTest {
    @Test
    void theCauseNamesStateClassAndMessage() {
        assertEquals("SQL state 25006, java.sql.SQLException: ERROR: cannot execute INSERT in a read-only transaction",
                FailureLog.cause(new SQLException("ERROR: cannot execute INSERT in a read-only transaction", "25006")));
        assertEquals("java.lang.IllegalStateException (caused by java.io.IOException)",
                FailureLog.cause(new IllegalStateException(null, new java.io.IOException("x"))));
    }

    @Test
    void quotedValuesInAMessageAreCut() {
        assertEquals("SQL state 22P02, java.sql.SQLException: ERROR: invalid input syntax for type uuid: \"…\"",
                FailureLog.cause(new SQLException("ERROR: invalid input syntax for type uuid: \"not-a-uuid\"", "22P02")));
        assertEquals("java.lang.RuntimeException: key \"…\" and \"…\"",
                FailureLog.cause(new RuntimeException("key 'a-secret' and \"b\"")));
    }
}

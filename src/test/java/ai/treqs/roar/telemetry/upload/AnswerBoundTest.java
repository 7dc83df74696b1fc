package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

/** How much of a collector's answer roar reads: an announced length beyond the bound is cut at once. */
class AnswerBoundTest {

    @Test
    void aContentLengthBeyondTheBoundIsTooLong() {
        assertFalse(AnswerBound.tooLong(null));
        assertFalse(AnswerBound.tooLong("0"));
        assertFalse(AnswerBound.tooLong(String.valueOf(AnswerBound.MAX_BODY_BYTES)));
        assertTrue(AnswerBound.tooLong(String.valueOf(AnswerBound.MAX_BODY_BYTES + 1)));
        assertTrue(AnswerBound.tooLong("100000000000"));
        assertTrue(AnswerBound.tooLong("99999999999999999999999999"), "beyond a long");
        assertFalse(AnswerBound.tooLong("-1"), "not a length: counted as it arrives");
        assertFalse(AnswerBound.tooLong("12, 12"));
    }

    @Test
    void aCutAnswerIsSaidInWords() {
        assertEquals("the collector's answer was longer than 64 KiB",
                CollectorConnection.describe(new ProcessingException(new AnswerBound.AnswerTooLong()), false));
    }
}

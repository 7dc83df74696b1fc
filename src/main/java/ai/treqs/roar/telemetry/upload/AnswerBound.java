package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.http.HttpClientRequest;

/**
 * docs/security.md#the-network: roar needs only the status of a collector's
 * answer, and a collector's answers are a few bytes; the REST client would gather a whole body in memory, however
 * long the server makes it. An answer longer than {@link #MAX_BODY_BYTES} (by its {@code Content-Length}, or by
 * what arrived so far) is cut: the request is reset, which ends the run like a dropped connection, and the
 * event stays queued.
 */
final class AnswerBound {
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Why the run stopped, in words: the collector was reached, so it is not "unreachable". */
    static final String TOO_LONG = "the collector's answer was longer than 64 KiB";

    /** Why a request was reset: its answer was longer than roar reads. */
    static final class AnswerTooLong extends IOException {
        private static final long serialVersionUID = 1L;

        AnswerTooLong() {
            super(TOO_LONG);
        }
    }

    private AnswerBound() {}

    /** Watches the answer to {@code request}; called before it is sent. */
    static void watch(HttpClientRequest request) {
        request.response().onSuccess(response -> {
            if (response.statusCode() == 204) {
                return; // no body: nothing to bound
            }
            if (tooLong(response.getHeader("Content-Length"))) {
                request.reset(0, new AnswerTooLong());
                return;
            }
            AtomicLong arrived = new AtomicLong();
            try {
                // beside the client's own body handler: Vert.x hands each chunk to both
                response.handler(chunk -> {
                    if (arrived.addAndGet(chunk.length()) > MAX_BODY_BYTES) {
                        request.reset(0, new AnswerTooLong());
                    }
                });
            } catch (IllegalStateException ended) {
                // the whole answer has arrived already: it was short
            }
        });
    }

    /** Whether a {@code Content-Length} value announces more than roar reads; pure. */
    static boolean tooLong(String contentLength) {
        if (contentLength == null) {
            return false;
        }
        String digits = contentLength.trim();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false; // not a length: Vert.x rejects it or counts what arrives
        }
        return digits.length() > 9 || Long.parseLong(digits) > MAX_BODY_BYTES;
    }
}

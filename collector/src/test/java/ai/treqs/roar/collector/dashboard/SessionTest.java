package ai.treqs.roar.collector.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The signed, expiring sign-in cookie, alone. */
class SessionTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    final Session session = new Session("read-token");

    @Test
    void aCookieIsValidUntilItExpires() {
        String cookie = session.issue(NOW, Duration.ofHours(12));
        assertTrue(session.valid(cookie, NOW));
        assertTrue(session.valid(cookie, NOW.plus(Duration.ofHours(12)).minusSeconds(1)));
        assertFalse(session.valid(cookie, NOW.plus(Duration.ofHours(12))));
    }

    @Test
    void aForgedOrAlteredCookieIsRefused() {
        String cookie = session.issue(NOW, Duration.ofHours(12));
        String signature = cookie.substring(cookie.indexOf('.') + 1);
        long expiry = Long.parseLong(cookie.substring(0, cookie.indexOf('.')));
        assertFalse(session.valid((expiry + 86_400) + "." + signature, NOW), "a later expiry with the old signature");
        assertFalse(session.valid(new Session("another-token").issue(NOW, Duration.ofHours(12)), NOW),
                "signed with another token (the token changed)");
        for (String junk : new String[] {null, "", ".", "123.", ".abc", "abc", "x." + signature, cookie + "0"}) {
            assertFalse(session.valid(junk, NOW), String.valueOf(junk));
        }
    }

    @Test
    void onlyTheReadTokenMatches() {
        assertTrue(session.tokenMatches("read-token"));
        assertFalse(session.tokenMatches("read-token "));
        assertFalse(session.tokenMatches("read-toke"));
        assertFalse(session.tokenMatches(""));
        assertFalse(session.tokenMatches(null));
    }

    @Test
    void afterSigningInOnlyADashboardPathOfThisCollector() {
        assertEquals("/dashboard/outcomes?days=7", DashboardResource.safeNext("/dashboard/outcomes?days=7"));
        for (String away : new String[] {null, "", "https://evil.example/", "//evil.example/dashboard",
                "/dashboard//evil", "/dashboard\\..\\x", "/q/metrics", "/dashboard\r\nSet-Cookie: x"}) {
            assertEquals("/dashboard", DashboardResource.safeNext(away), String.valueOf(away));
        }
    }
}

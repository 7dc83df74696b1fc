package ai.treqs.roar.collector.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's sign-in, kept in the cookie alone (no server state, so any instance accepts it): the expiry and
 * an HMAC-SHA256 of it under a key derived from the read token. Changing the token signs everyone out.
 */
public record Session(String readToken) {
    public static final String COOKIE = "roar_dashboard";
    private static final String PURPOSE = "roar-collector dashboard session\n";

    /** Whether {@code given} (what the login form sent) is the read token, in constant time. */
    public boolean tokenMatches(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                readToken.getBytes(StandardCharsets.UTF_8));
    }

    /** A cookie value valid until {@code now + lifetime}. */
    public String issue(Instant now, Duration lifetime) {
        String expiry = Long.toString(now.plus(lifetime).getEpochSecond());
        return expiry + "." + sign(expiry);
    }

    /** Whether the cookie value is one {@link #issue} made with this token and it has not expired. */
    public boolean valid(String cookie, Instant now) {
        if (cookie == null) {
            return false;
        }
        int dot = cookie.indexOf('.');
        if (dot <= 0 || dot == cookie.length() - 1) {
            return false;
        }
        String expiry = cookie.substring(0, dot);
        byte[] expected = sign(expiry).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, cookie.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(expiry)).isAfter(now);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String sign(String expiry) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest((PURPOSE + readToken).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(expiry.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

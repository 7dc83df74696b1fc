package ai.treqs.roar.telemetry.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Contract §8: an endpoint is empty, or an absolute http/https URL with a host and without user info. */
public final class EndpointRule {

    private EndpointRule() {}

    /** Why {@code value} is not a usable endpoint, or empty when it is one (the empty string is one). */
    public static Optional<String> problem(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '"' || c == '\\') {
                return Optional.of("the URL contains a space, a quote, a backslash or a control character");
            }
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("the URL must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return Optional.of("the URL must not contain user info");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("the URL has no host");
        }
        return Optional.empty();
    }

    public static boolean isUsable(String value) {
        return !value.isEmpty() && problem(value).isEmpty();
    }
}

package ai.treqs.roar.telemetry.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** docs/configuration.md#keys: an endpoint is empty, or an absolute http/https URL with a host and without user info. */
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
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.of("the port must be between 1 and 65535");
        }
        return Optional.empty();
    }

    /**
     * The endpoint as the upload ledger shows it, and as everything that prints one shows it (docs/proxies-and-ledger.md#what-was-sent-the-upload-ledger):
     * {@code scheme://host[:port]/path}, no user info, no query, no fragment. A value that is not even a
     * URL still loses whatever could be credentials: anything before an {@code @} in the authority, and
     * everything from the first {@code ?} or {@code #}.
     */
    public static String display(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() != null && uri.getHost() != null) {
                StringBuilder out = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
                if (uri.getPort() > 0) {
                    out.append(':').append(uri.getPort());
                }
                return out.append(uri.getRawPath() == null ? "" : uri.getRawPath()).toString();
            }
        } catch (URISyntaxException e) {
            // shown below by text
        }
        String text = endpoint;
        int cut = indexOfAny(text, "?#");
        if (cut >= 0) {
            text = text.substring(0, cut);
        }
        int authority = text.indexOf("//");
        int start = authority < 0 ? 0 : authority + 2;
        int end = text.indexOf('/', start);
        int at = text.lastIndexOf('@', end < 0 ? text.length() - 1 : end - 1);
        if (at >= start) {
            text = text.substring(0, start) + text.substring(at + 1);
        }
        return text;
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}

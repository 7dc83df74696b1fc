package ai.treqs.roar.telemetry.upload;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import ai.treqs.roar.telemetry.env.Environment;

/**
 * Contract §11: the HTTP proxy for an endpoint, from {@code https_proxy}/{@code http_proxy} (lower case
 * first) and {@code no_proxy}. Credentials are kept for Basic proxy authentication and never shown.
 */
public record ProxySettings(String scheme, String host, int port, String variable,
                            Optional<String> user, Optional<String> password) {

    /** {@code scheme://host:port}: what {@code --status} may print. */
    public String display() {
        return scheme + "://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return display() + " (" + variable + ")";
    }

    public static Optional<ProxySettings> forEndpoint(Environment env, String endpoint) {
        URI target;
        try {
            target = new URI(endpoint);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (target.getScheme() == null || target.getHost() == null) {
            return Optional.empty();
        }
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        String lower = scheme.equals("https") ? "https_proxy" : "http_proxy";
        String upper = lower.toUpperCase(Locale.ROOT);
        String variable = env.get(lower).filter(v -> !v.isBlank()).isPresent() ? lower
                : env.get(upper).filter(v -> !v.isBlank()).isPresent() ? upper : null;
        if (variable == null) {
            return Optional.empty();
        }
        String noProxy = env.get("no_proxy").filter(v -> !v.isBlank()).or(() -> env.get("NO_PROXY")).orElse("");
        if (bypasses(noProxy, target.getHost())) {
            return Optional.empty();
        }
        return parse(env.get(variable).get().trim(), variable);
    }

    static Optional<ProxySettings> parse(String value, String variable) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (uri.getHost() == null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
            password = colon < 0 ? Optional.empty() : Optional.of(decode(info.substring(colon + 1)));
        }
        return Optional.of(new ProxySettings(scheme, uri.getHost(), port, variable, user, password));
    }

    /** no_proxy: comma-separated host names (the host and its subdomains, a leading dot allowed), IPs, or *. */
    static boolean bypasses(String noProxy, String host) {
        String h = stripBrackets(host.toLowerCase(Locale.ROOT));
        for (String raw : noProxy.split(",")) {
            String entry = stripBrackets(raw.trim().toLowerCase(Locale.ROOT));
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon) {
                entry = entry.substring(0, colon); // host:port entries match the host
            }
            if (entry.startsWith(".")) {
                entry = entry.substring(1);
            }
            if (h.equals(entry) || h.endsWith("." + entry)) {
                return true;
            }
        }
        return false;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Percent-decoding of URL user info: unlike form encoding, a '+' there is a plus, not a space. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

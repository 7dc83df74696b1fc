package ai.treqs.roar.telemetry.upload;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import ai.treqs.roar.telemetry.env.Environment;

/**
 * docs/proxies-and-ledger.md#behind-an-http-proxy: the HTTP proxy for an endpoint, from {@code https_proxy}/{@code http_proxy} (lower case
 * first) and {@code no_proxy}. Credentials are kept for Basic proxy authentication and never shown.
 */
public record ProxySettings(String scheme, String host, int port, String variable,
                            Optional<String> user, Optional<String> password) {

    /**
     * How an upload to an endpoint goes out. A proxy variable that is set but cannot be used (malformed,
     * or a scheme this build does not speak) is {@link Refused}: nothing is sent, never directly instead.
     */
    public sealed interface Route {
        /** No proxy variable applies (none set, or the endpoint is in {@code no_proxy}). */
        record Direct() implements Route {}

        record Via(ProxySettings proxy) implements Route {}

        /** {@code shown} is {@code scheme://host:port} without user info, or {@code (invalid)}. */
        record Refused(String variable, String shown, String why) implements Route {
            /** The stop reason of a run. */
            public String problem() {
                return "proxy not usable: " + variable + " " + why;
            }
        }
    }

    static final String INVALID = "(invalid)";

    /** {@code scheme://host:port}: what {@code --status} may print. */
    public String display() {
        return scheme + "://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return display() + " (" + variable + ")";
    }

    public static Route route(Environment env, String endpoint) {
        URI target;
        try {
            target = new URI(endpoint);
        } catch (Exception e) {
            return new Route.Direct();
        }
        if (target.getScheme() == null || target.getHost() == null) {
            return new Route.Direct();
        }
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        String lower = scheme.equals("https") ? "https_proxy" : "http_proxy";
        String upper = lower.toUpperCase(Locale.ROOT);
        String variable = env.get(lower).filter(v -> !v.isBlank()).isPresent() ? lower
                : env.get(upper).filter(v -> !v.isBlank()).isPresent() ? upper : null;
        if (variable == null) {
            return new Route.Direct();
        }
        String noProxy = env.get("no_proxy").filter(v -> !v.isBlank()).or(() -> env.get("NO_PROXY")).orElse("");
        if (NoProxy.bypasses(noProxy, target.getHost())) {
            return new Route.Direct();
        }
        return parse(env.get(variable).get().trim(), variable);
    }

    /** The proxy an upload would use, when one is set, applies and is usable. */
    public static Optional<ProxySettings> forEndpoint(Environment env, String endpoint) {
        return route(env, endpoint) instanceof Route.Via via ? Optional.of(via.proxy()) : Optional.empty();
    }

    static Route parse(String value, String variable) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (Exception e) {
            return new Route.Refused(variable, INVALID, "is not a valid proxy URL");
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() > 65535
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return new Route.Refused(variable, INVALID, "is not a valid proxy URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (!scheme.equals("http")) {
            // Vert.x speaks to an HTTP proxy only in plain text: an https:// proxy would get the password
            // unencrypted, and SOCKS is not wired up, so these are refused rather than half supported
            return new Route.Refused(variable, scheme + "://" + uri.getHost() + ":" + port,
                    "names a " + scheme + " proxy, which roar does not support");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            try {
                user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
                password = colon < 0 ? Optional.empty() : Optional.of(decode(info.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                return new Route.Refused(variable, INVALID, "is not a valid proxy URL"); // a bad %-escape
            }
        }
        return new Route.Via(new ProxySettings(scheme, uri.getHost(), port, variable, user, password));
    }

    /** Percent-decoding of URL user info: unlike form encoding, a '+' there is a plus, not a space. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

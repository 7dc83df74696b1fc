package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.treqs.roar.telemetry.env.Environment;

/** Contract §11: which proxy an upload goes through, and that its credentials never show. */
class ProxySettingsTest {
    static final String HTTPS_ENDPOINT = "https://api.glaas.ai/api/v1/telemetry/roar";
    static final String HTTP_ENDPOINT = "http://collector.internal:8080/t";

    private static Environment env(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Environment.of(map);
    }

    private static Optional<String> proxyFor(String endpoint, Environment env) {
        return ProxySettings.forEndpoint(env, endpoint).map(ProxySettings::toString);
    }

    @Test
    void noVariableNoProxy() {
        assertEquals(Optional.empty(), proxyFor(HTTPS_ENDPOINT, env()));
    }

    @Test
    void theLowerCaseVariableWinsOverTheUpperCaseOne() {
        Environment both = env("https_proxy", "http://lower.corp:3128", "HTTPS_PROXY", "http://upper.corp:3128");
        assertEquals(Optional.of("http://lower.corp:3128 (https_proxy)"), proxyFor(HTTPS_ENDPOINT, both));
        assertEquals(Optional.of("http://upper.corp:3128 (HTTPS_PROXY)"),
                proxyFor(HTTPS_ENDPOINT, env("HTTPS_PROXY", "http://upper.corp:3128")));
        assertEquals(Optional.of("http://upper.corp:3128 (HTTPS_PROXY)"),
                proxyFor(HTTPS_ENDPOINT, env("https_proxy", "", "HTTPS_PROXY", "http://upper.corp:3128")));
    }

    @Test
    void anHttpsEndpointUsesHttpsProxyAndAnHttpEndpointUsesHttpProxy() {
        Environment both = env("https_proxy", "http://secure.corp:3128", "http_proxy", "http://plain.corp:8080");
        assertEquals(Optional.of("http://secure.corp:3128 (https_proxy)"), proxyFor(HTTPS_ENDPOINT, both));
        assertEquals(Optional.of("http://plain.corp:8080 (http_proxy)"), proxyFor(HTTP_ENDPOINT, both));
        assertEquals(Optional.empty(), proxyFor(HTTP_ENDPOINT, env("https_proxy", "http://secure.corp:3128")));
        assertEquals(Optional.empty(), proxyFor(HTTPS_ENDPOINT, env("HTTP_PROXY", "http://plain.corp:8080")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "proxy.corp:3128, http://proxy.corp:3128",
        "http://proxy.corp, http://proxy.corp:80",
        "https://proxy.corp, https://proxy.corp:443",
        "HTTP://Proxy.Corp:3128/, http://Proxy.Corp:3128",
        "'  http://proxy.corp:3128  ', http://proxy.corp:3128",
    })
    void proxyValuesAreReadLikeOtherTools(String value, String display) {
        assertEquals(Optional.of(display),
                ProxySettings.forEndpoint(env("https_proxy", value), HTTPS_ENDPOINT).map(ProxySettings::display));
    }

    @ParameterizedTest(name = "no_proxy={0} for {1} -> bypass {2}")
    @CsvSource({
        "api.glaas.ai, api.glaas.ai, true",
        "glaas.ai, api.glaas.ai, true",
        ".glaas.ai, api.glaas.ai, true",
        "'other.example, glaas.ai', api.glaas.ai, true",
        "' other.example ,  .GLAAS.AI ', api.glaas.ai, true",
        "*, api.glaas.ai, true",
        "api.glaas.ai:443, api.glaas.ai, true",
        "las.ai, api.glaas.ai, false",
        "ai.glaas, api.glaas.ai, false",
        "api.glaas.ai.evil.example, api.glaas.ai, false",
        "'', api.glaas.ai, false",
        "',,', api.glaas.ai, false",
        "10.0.0.5, 10.0.0.5, true",
        "10.0.0.55, 10.0.0.5, false",
        "::1, [::1], true",
        "[::1], [::1], true",
        "localhost, LOCALHOST, true",
    })
    void noProxyEntries(String noProxy, String host, boolean bypass) {
        assertEquals(bypass, ProxySettings.bypasses(noProxy, host));
    }

    @Test
    void aBypassedEndpointHasNoProxyAndTheLowerCaseNoProxyWins() {
        Environment bypassed = env("https_proxy", "http://p.corp:3128", "NO_PROXY", "glaas.ai");
        assertEquals(Optional.empty(), proxyFor(HTTPS_ENDPOINT, bypassed));
        Environment lowerWins = env("https_proxy", "http://p.corp:3128", "no_proxy", "other.example", "NO_PROXY", "glaas.ai");
        assertEquals(Optional.of("http://p.corp:3128 (https_proxy)"), proxyFor(HTTPS_ENDPOINT, lowerWins));
        Environment localhost = env("http_proxy", "http://p.corp:3128", "no_proxy", "localhost,127.0.0.1");
        assertEquals(Optional.empty(), proxyFor("http://127.0.0.1:9000/t", localhost));
    }

    @Test
    void credentialsAreDecodedForAuthenticationButNeverDisplayed() {
        ProxySettings proxy = ProxySettings.forEndpoint(
                env("https_proxy", "http://al%40ice:p%40ss%3Aw0rd+x@proxy.corp:3128"), HTTPS_ENDPOINT).orElseThrow();
        assertEquals(Optional.of("al@ice"), proxy.user());
        assertEquals(Optional.of("p@ss:w0rd+x"), proxy.password());
        assertEquals("http://proxy.corp:3128", proxy.display());
        assertEquals("http://proxy.corp:3128 (https_proxy)", proxy.toString());
        for (String shown : new String[] {proxy.display(), proxy.toString()}) {
            for (String secret : new String[] {"al", "ice", "p@ss", "w0rd", "%40", "@"}) {
                assertFalse(shown.contains(secret), secret + " shown in " + shown);
            }
        }
    }

    @Test
    void aUserWithoutPasswordIsKept() {
        ProxySettings proxy = ProxySettings.parse("http://bob@proxy.corp:3128", "http_proxy").orElseThrow();
        assertEquals(Optional.of("bob"), proxy.user());
        assertEquals(Optional.empty(), proxy.password());
        assertTrue(proxy.toString().indexOf("bob") < 0);
    }

    @Test
    void anUnusableProxyValueOrEndpointMeansNoProxy() {
        assertEquals(Optional.empty(), proxyFor(HTTPS_ENDPOINT, env("https_proxy", "http://")));
        assertEquals(Optional.empty(), proxyFor(HTTPS_ENDPOINT, env("https_proxy", "http://bad host:80")));
        assertEquals(Optional.empty(), proxyFor("", env("https_proxy", "http://p.corp:3128")));
        assertEquals(Optional.empty(), proxyFor("not a url", env("https_proxy", "http://p.corp:3128")));
    }
}

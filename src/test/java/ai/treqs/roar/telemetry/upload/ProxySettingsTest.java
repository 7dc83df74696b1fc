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

/** docs/proxies-and-ledger.md: which proxy an upload goes through, and that its credentials never show. */
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
        "[::1]:8080, [::1], true",
        "0:0:0:0:0:0:0:1, [::1], true",
        "::2, [::1], false",
        "localhost, LOCALHOST, true",
        // IP entries match whole addresses or CIDR blocks, never a text suffix
        "0.0.1, 127.0.0.1, false",
        ".0.0.1, 127.0.0.1, false",
        "0.1, 127.0.0.1, false",
        "127.1, 127.0.0.1, false",
        "127.0.0.1:8080, 127.0.0.1, true",
        "127.0.0.0/8, 127.0.0.1, true",
        "127.0.0.0/8, 128.0.0.1, false",
        "10.1.2.0/24, 10.1.2.200, true",
        "10.1.2.0/24, 10.1.3.1, false",
        "0.0.0.0/0, 192.0.2.1, true",
        "10.0.0.0/33, 10.0.0.1, false",
        "::/0, [2001:db8::1], true",
        "2001:db8::/32, [2001:db8::1], true",
        "2001:db9::/32, [2001:db8::1], false",
        "10.0.0.0/8, [::1], false",
        // a name entry never matches an address, and an address entry never a name
        "1, 127.0.0.1, false",
        "10.0.0.5, host.10.0.0.5, false",
    })
    void noProxyEntries(String noProxy, String host, boolean bypass) {
        assertEquals(bypass, NoProxy.bypasses(noProxy, host));
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
        ProxySettings proxy = ((ProxySettings.Route.Via) ProxySettings.parse("http://bob@proxy.corp:3128", "http_proxy")).proxy();
        assertEquals(Optional.of("bob"), proxy.user());
        assertEquals(Optional.empty(), proxy.password());
        assertTrue(proxy.toString().indexOf("bob") < 0);
    }

    @Test
    void anUnusableEndpointMeansNoProxy() {
        assertEquals(Optional.empty(), proxyFor("", env("https_proxy", "http://p.corp:3128")));
        assertEquals(Optional.empty(), proxyFor("not a url", env("https_proxy", "http://p.corp:3128")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://, (invalid)",
        "'http://bad host:80', (invalid)",
        "http://p.corp:99999, (invalid)",
        "http://p.corp:3128?x=1, (invalid)",
        "'http://u:%zz@p.corp:3128', (invalid)",
        "https://u:s3cret@p.corp:3129, https://p.corp:3129",
        "socks5://u:s3cret@p.corp:1080, socks5://p.corp:1080",
        "socks5h://p.corp, socks5h://p.corp:80",
    })
    void aProxyValueThatCannotBeUsedIsRefusedNeverIgnored(String value, String shown) {
        ProxySettings.Route route = ProxySettings.route(env("https_proxy", value), HTTPS_ENDPOINT);
        ProxySettings.Route.Refused refused = (ProxySettings.Route.Refused) route;
        assertEquals(shown, refused.shown());
        assertEquals("https_proxy", refused.variable());
        for (String text : new String[] {refused.shown(), refused.why(), refused.problem()}) {
            assertFalse(text.contains("s3cret") || text.contains("u:"), text);
        }
        assertEquals(Optional.empty(), ProxySettings.forEndpoint(env("https_proxy", value), HTTPS_ENDPOINT));
    }

    @Test
    void aRefusedProxyThatNoProxyBypassesDoesNotMatter() {
        assertTrue(ProxySettings.route(env("https_proxy", "socks5://p.corp:1080", "no_proxy", "glaas.ai"), HTTPS_ENDPOINT)
                instanceof ProxySettings.Route.Direct);
    }
}

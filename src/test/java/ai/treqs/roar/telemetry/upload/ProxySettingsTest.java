package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.treqs.roar.telemetry.env.Environment;

class ProxySettingsTest {
    private static final String HTTPS = "https://api.example.org/api/v1/telemetry/roar";
    private static final String HTTP = "http://collector.internal:8080/t";

    private static Environment env(String... pairs) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Environment.of(map);
    }

    @Test
    void httpsEndpointsUseHttpsProxyAndHttpEndpointsUseHttpProxy() {
        Environment e = env("HTTPS_PROXY", "http://tls-proxy:3128", "HTTP_PROXY", "http://plain-proxy:8080");
        assertEquals("http://tls-proxy:3128 (HTTPS_PROXY)", ProxySettings.forEndpoint(e, HTTPS).orElseThrow().toString());
        assertEquals("http://plain-proxy:8080 (HTTP_PROXY)", ProxySettings.forEndpoint(e, HTTP).orElseThrow().toString());
    }

    @Test
    void lowerCaseVariablesWinOverUpperCase() {
        Environment e = env("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2");
        assertEquals("https_proxy", ProxySettings.forEndpoint(e, HTTPS).orElseThrow().variable());
        assertEquals("lower", ProxySettings.forEndpoint(e, HTTPS).orElseThrow().host());
    }

    @Test
    void anEmptyLowerCaseVariableFallsBackToTheUpperCaseOne() {
        Environment e = env("https_proxy", "", "HTTPS_PROXY", "http://upper:2");
        assertEquals("HTTPS_PROXY", ProxySettings.forEndpoint(e, HTTPS).orElseThrow().variable());
    }

    @Test
    void noProxyVariableMeansNoProxy() {
        assertEquals(Optional.empty(), ProxySettings.forEndpoint(env("HTTP_PROXY", "http://p:1"), HTTPS));
        assertEquals(Optional.empty(), ProxySettings.forEndpoint(env(), HTTP));
    }

    @Test
    void aProxyWithoutSchemeOrPortIsHttpOnPort80() {
        ProxySettings p = ProxySettings.forEndpoint(env("HTTPS_PROXY", "proxy.corp"), HTTPS).orElseThrow();
        assertEquals("http://proxy.corp:80", p.display());
    }

    @Test
    void credentialsArePercentDecodedKeptForAuthenticationAndNeverDisplayed() {
        ProxySettings p = ProxySettings.forEndpoint(
                env("HTTPS_PROXY", "http://d%C3%B6e:p%40ss+w%3Ard@proxy:3128"), HTTPS).orElseThrow();
        assertEquals(Optional.of("döe"), p.user());
        assertEquals(Optional.of("p@ss+w:rd"), p.password());
        assertEquals("http://proxy:3128", p.display());
        assertFalse(p.toString().contains("p@ss"), p.toString());
        assertFalse(p.toString().contains("döe"), p.toString());
    }

    @ParameterizedTest(name = "no_proxy={0} host={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "collector.internal|collector.internal|true",
            "COLLECTOR.Internal|collector.internal|true",
            "internal|collector.internal|true",
            ".internal|collector.internal|true",
            "nal|collector.internal|false",
            "other.org, internal |collector.internal|true",
            "collector.internal:8080|collector.internal|true",
            "*|api.example.org|true",
            "10.0.0.1|10.0.0.1|true",
            "10.0.0.1|10.0.0.10|false",
            "::1|[::1]|true",
            "[::1]|[::1]|true",
            "''|collector.internal|false",
            "example.org|notexample.org|false",
    })
    void noProxyEntriesMatchHostsSubdomainsIpsAndStar(String noProxy, String host, boolean bypass) {
        assertEquals(bypass, ProxySettings.bypasses(noProxy, host));
    }

    @Test
    void lowerCaseNoProxyWinsAndBypassedEndpointsGetNoProxy() {
        Environment e = env("HTTPS_PROXY", "http://p:1", "no_proxy", "example.org", "NO_PROXY", "other.net");
        assertTrue(ProxySettings.forEndpoint(e, HTTPS).isEmpty());
        Environment upper = env("HTTPS_PROXY", "http://p:1", "NO_PROXY", ".example.org");
        assertTrue(ProxySettings.forEndpoint(upper, HTTPS).isEmpty());
    }
}

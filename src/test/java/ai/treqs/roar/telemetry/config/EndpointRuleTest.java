package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/configuration.md#keys: an endpoint is empty, or an absolute http/https URL with a host and no user info. */
class EndpointRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "https://api.glaas.ai/api/v1/telemetry/roar",
        "http://localhost:8080/collect",
        "HTTPS://Collector.Example.com/t",
        "http://127.0.0.1:9/",
        "http://[::1]:9000/t",
        "https://collector.example/t?tenant=7",
        "https://collector.example",
    })
    void accepts(String url) {
        assertEquals(Optional.empty(), EndpointRule.problem(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ftp://collector.example/t",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:ops@example.com",
        "collector.example/t",
        "/relative/path",
        "https://user:secret@collector.example/t",
        "https://token@collector.example/t",
        "https://collector.example/a b",
        " https://collector.example/t",
        "https://collector.example/t ",
        "https://collector.example/\"quoted\"",
        "https://collector.example/t\n[telemetry]\nenabled = true",
        "https://collector.example/t\r",
        "https://collector.example/t\tx",
        "https://collector.example\\t",
        "https:///no-host",
        "https://",
        "https:collector.example",
        "http://:8080/t",
    })
    void rejects(String url) {
        Optional<String> problem = EndpointRule.problem(url);
        assertTrue(problem.isPresent(), url);
        assertFalse(problem.get().contains("\n"));
    }

    @Test
    void userInfoIsNamedAsTheProblem() {
        assertEquals(Optional.of("the URL must not contain user info"), EndpointRule.problem("https://u:p@h.example/"));
    }

    @Test
    void emptyIsAllowed() {
        assertEquals(Optional.empty(), EndpointRule.problem(""));
        assertEquals(Optional.empty(), EndpointRule.problem("https://h.example/t"));
    }

    @Test
    void portsOutsideTheTcpRangeAreRefused() {
        assertEquals(Optional.of("the port must be between 1 and 65535"), EndpointRule.problem("http://h.example:65536/t"));
        assertEquals(Optional.of("the port must be between 1 and 65535"), EndpointRule.problem("http://h.example:0/t"));
        assertEquals(Optional.empty(), EndpointRule.problem("http://h.example:65535/t"));
    }

    @Test
    void valuesAreNeverTrimmed() {
        assertTrue(EndpointRule.problem(" https://h.example/t ").isPresent());
        assertTrue(EndpointRule.problem("https://h.example/t\n").isPresent());
    }

    @Test
    void displayDropsUserInfoQueryAndFragmentEvenFromWhatIsNotAUrl() {
        assertEquals("http://h.example:8080/t", EndpointRule.display("http://alice:pw@h.example:8080/t?token=x#f"));
        assertEquals("https://h.example/t", EndpointRule.display("https://h.example/t"));
        assertEquals("http://exa mple/t", EndpointRule.display("http://bob:secret@exa mple/t?key=y"));
        assertEquals("http://h/a", EndpointRule.display("http://a@b@h/a"));
        assertEquals("not a url", EndpointRule.display("not a url"));
    }
}

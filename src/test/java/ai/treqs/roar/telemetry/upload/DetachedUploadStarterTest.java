package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** docs/security.md#the-inherited-environment: the uploader gets the same environment less the variables any JVM takes options from. */
class DetachedUploadStarterTest {

    @Test
    void jvmOptionVariablesAreRemovedAndEverythingElseIsKept() {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-javaagent:/tmp/evil.jar",
                "JDK_JAVA_OPTIONS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y",
                "_JAVA_OPTIONS", "-Xdebug", "HOME", "/home/u", "https_proxy", "http://proxy:3128",
                "ROAR_JAVA_OPTS", "-Xmx64m");
        assertEquals(Map.of("HOME", "/home/u", "https_proxy", "http://proxy:3128", "ROAR_JAVA_OPTS", "-Xmx64m"),
                DetachedUploadStarter.uploaderEnvironment(env));
    }
}

package ai.treqs.roar.telemetry.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What the JVM makes of argv under the POSIX locale (each non-ASCII byte a U+FFFD) and what the kernel kept. */
class CommandLineTextTest {

    private static byte[] cmdline(String... args) {
        return (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static String posixDecoded(String typed) {
        StringBuilder out = new StringBuilder();
        for (byte b : typed.getBytes(StandardCharsets.UTF_8)) {
            out.append(b >= 0 ? (char) b : '\uFFFD');
        }
        return out.toString();
    }

    @Test
    void recoversTheTypedTextOfAnArgumentOrAnOptionValue() {
        String typed = "http://h/tél/ä";
        byte[] argv = cmdline("/usr/bin/java", "-jar", "roar.jar", "telemetry", "--endpoint", typed);
        assertEquals(Optional.of(typed), CommandLineText.recover(posixDecoded(typed), argv));
        byte[] equalsForm = cmdline("java", "-jar", "roar.jar", "telemetry", "--endpoint=" + typed);
        assertEquals(Optional.of(typed), CommandLineText.recover(posixDecoded(typed), equalsForm));
    }

    @Test
    void anArgumentThatIsNotThereOrNotUtf8IsNotGuessed() {
        String typed = "http://h/ä";
        assertEquals(Optional.empty(), CommandLineText.recover(posixDecoded(typed), cmdline("java", "-jar", "x", "http://h/b")));
        byte[] latin1 = "http://h/\u00e4".getBytes(StandardCharsets.ISO_8859_1);
        byte[] argv = new byte[latin1.length + 1];
        System.arraycopy(latin1, 0, argv, 0, latin1.length);
        assertEquals(Optional.empty(), CommandLineText.recover("http://h/\uFFFD", argv));
    }

    @Test
    void plainTextIsTakenAsItIs() {
        assertEquals(Optional.of("http://h/t"), CommandLineText.asTyped("http://h/t"));
    }
}

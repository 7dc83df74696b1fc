package ai.treqs.roar.telemetry.env;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** The real process environment. */
@ApplicationScoped
public class ProcessEnvironment implements Environment {

    @Override
    public Optional<String> get(String name) {
        return Optional.ofNullable(System.getenv(name));
    }

    @Override
    public Map<String, String> all() {
        return System.getenv();
    }

    @Override
    public String textEncoding() {
        return RawEnvironment.fileNameCharset().name();
    }

    @Override
    public boolean isExactText(String name) {
        String value = System.getenv(name);
        return value == null || RawEnvironment.isExact(name, value);
    }
}

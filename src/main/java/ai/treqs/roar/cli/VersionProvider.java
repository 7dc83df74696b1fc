package ai.treqs.roar.cli;

import ai.treqs.roar.telemetry.config.BuildDefaults;
import picocli.CommandLine.IVersionProvider;

/** {@code roar --version}: the project version baked in at package time. */
public class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"roar " + BuildDefaults.load().version()};
    }
}

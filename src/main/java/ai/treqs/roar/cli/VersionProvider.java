package ai.treqs.roar.cli;

import java.util.ArrayList;
import java.util.List;

import ai.treqs.roar.telemetry.config.BuildDefaults;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.upload.RuntimeKind;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code roar --version}: roar's version, the Java runtime that runs it (natively: the Java it was built from), and the packager's telemetry
 * defaults when they differ from the standard build's (baked in at package time, docs/configuration.md#packager-defaults).
 */
public class VersionProvider implements IVersionProvider {
    /** The standard build's defaults: the pom's, unless a packager overrode them. */
    static final boolean STANDARD_ENABLED = true;
    static final String STANDARD_ENDPOINT = "https://api.glaas.ai/api/v1/telemetry/roar";

    @Override
    public String[] getVersion() {
        BuildDefaults build = BuildDefaults.load();
        List<String> lines = new ArrayList<>();
        lines.add("roar " + build.version());
        // a native executable runs no Java installation: the Java it was built from, and that it is native
        lines.add("Java " + TerminalText.inert(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")")
                + (RuntimeKind.isNativeImage() ? ", native executable" : ""));
        if (build.enabled() != STANDARD_ENABLED) {
            lines.add("Packager default: telemetry " + (build.enabled() ? "on" : "off"));
        }
        if (!build.endpoint().equals(STANDARD_ENDPOINT)) {
            lines.add("Packager default: endpoint " + (build.endpoint().isEmpty() ? "(empty: no uploads)" : build.endpoint()));
        }
        return lines.toArray(String[]::new);
    }
}

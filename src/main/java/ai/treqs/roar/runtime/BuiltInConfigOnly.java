package ai.treqs.roar.runtime;

import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import io.smallrye.config.SysPropConfigSource;
import io.smallrye.config.source.yaml.YamlConfigSourceLoader;

/**
 * docs/security.md#configuration-comes-from-three-places-only: the framework's configuration is the built-in {@code application.yaml} (and the build's
 * recorded values) plus the JVM's own command line, nothing else. SmallRye Config would also read
 * {@code .env}, {@code config/application.properties} and {@code config/application.yaml} from the working
 * directory, and every environment variable ({@code QUARKUS_LOG_FILE_PATH=~/.bashrc} in a cloned
 * repository's {@code .env}, or inherited): those sources are removed here, not filtered by key, so no
 * framework setting can come from them. roar's own variables are read through {@code telemetry/env}.
 * Runs last (highest priority), after Quarkus' own builders have added their sources.
 */
public final class BuiltInConfigOnly implements SmallRyeConfigBuilderCustomizer {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        if (isQuarkusBuild()) {
            // the build (./mvnw package, the native image) is the developer's, not a cloned directory's:
            // it needs its environment (GRAALVM_HOME for -Dnative, the packager's settings)
            return;
        }
        // default sources = system properties, environment, .env, ./config/application.properties, class-path properties
        builder.setAddDefaultSources(false);
        builder.setAddSystemSources(false);
        builder.setAddPropertiesSources(false);
        builder.getSources().removeIf(source -> source instanceof EnvConfigSource);
        builder.getSourceProviders().removeIf(provider -> provider instanceof DotEnvConfigSourceProvider
                || provider instanceof YamlConfigSourceLoader.InFileSystem);
        // -D options are the command line the launcher (or a user's ROAR_JAVA_OPTS) chose, like roar's arguments
        builder.withSources(new SysPropConfigSource());
    }

    /** Quarkus' build classes are on the class path at build time (and in dev mode and tests), never in the packaged application. */
    static boolean isQuarkusBuild() {
        ClassLoader loader = BuiltInConfigOnly.class.getClassLoader();
        return loader != null && loader.getResource("io/quarkus/builder/BuildChain.class") != null;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }
}

package ai.treqs.roar.collector;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code roar.collector.*}: see docs/collector.md. */
@ConfigMapping(prefix = "roar.collector")
public interface CollectorConfig {
    /** The summary endpoint's bearer token; absent = the endpoint is off (404). */
    Optional<String> readToken();

    @WithDefault("400")
    int retentionDays();

    /**
     * k: the smallest group of installs a figure is shown for; a figure resting on 1..k-1 installs reads
     * {@code < k}, a version, platform or capability seen on 1..k-1 installs counts under {@code other}.
     */
    @WithDefault("5")
    int minInstalls();

    /** How long a dashboard sign-in lasts. */
    @WithDefault("12H")
    Duration dashboardSession();

    /** Mark the dashboard's cookie {@code Secure} even on plain HTTP (TLS ends at a proxy in front). */
    @WithDefault("false")
    boolean secureCookie();

    /** How often the retention job runs (a Quarkus duration: {@code 1h}, {@code 30m}). */
    @WithDefault("1h")
    String retentionInterval();

    @WithDefault("5000")
    int retentionBatchSize();

    @WithDefault("200")
    int retentionMaxBatches();

    /** Threads that commit batches of events; each holds at most one connection at a time. */
    @WithDefault("2")
    int writerThreads();

    /** The most events one transaction commits. */
    @WithDefault("500")
    int maxBatch();

    /** Events waiting for a writer; a full queue answers 503 (saturated). */
    @WithDefault("10000")
    int queueCapacity();

    /**
     * How long a request waits for its commit before it answers 503 ("not confirmed"): shorter than the CLI's 5 s
     * per-request deadline, so the client reads the 503 and its Retry-After instead of timing out.
     */
    @WithDefault("3S")
    Duration requestTimeout();

    @WithDefault("10")
    int retryAfterSeconds();
}

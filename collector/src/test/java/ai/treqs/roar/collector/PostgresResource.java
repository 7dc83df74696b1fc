package ai.treqs.roar.collector;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh throwaway PostgreSQL (scripts/pg.sh) for every start of the application under test. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Pg.run("clean");
        Map<String, String> env = Pg.run("start");
        return Map.of("quarkus.datasource.jdbc.url", env.get("QUARKUS_DATASOURCE_JDBC_URL"),
                "quarkus.datasource.username", env.get("QUARKUS_DATASOURCE_USERNAME"),
                "quarkus.datasource.password", env.get("QUARKUS_DATASOURCE_PASSWORD"));
    }

    @Override
    public void stop() {
        Pg.run("clean");
    }
}

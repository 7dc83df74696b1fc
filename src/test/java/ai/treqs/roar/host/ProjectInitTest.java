package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code roar init} run again is harmless, also when several run at once in one project (ConcurrencyIT's loops). */
class ProjectInitTest {
    @TempDir Path root;

    @Test
    void concurrentInitsInOneProjectAllSucceedAndLeaveOneConfig() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 50; round++) {
                Path project = Files.createDirectory(root.resolve("p" + round));
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<String>> inits = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    inits.add(pool.submit(() -> {
                        start.await();
                        return new ProjectInit().init(project, false);
                    }));
                }
                int created = 0;
                for (Future<String> init : inits) {
                    created += init.get().contains("Created ") ? 1 : 0; // a failed init throws here
                }
                assertEquals(1, created, "one init created config.toml, the others kept it");
                assertEquals(ProjectInit.CONFIG_TEMPLATE, Files.readString(project.resolve(".roar/config.toml")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void initMakesTheProjectDirectoryAndItsMissingParents() throws Exception {
        Path project = root.resolve("a/b/c");
        String out = new ProjectInit().init(project, false);
        assertEquals("Created " + project.resolve(".roar/config.toml") + "\n", out); // the command adds the privacy note
        assertEquals(ProjectInit.CONFIG_TEMPLATE, Files.readString(project.resolve(".roar/config.toml")));
    }

    @Test
    void aRefusalWritesNothingAnywhere() throws Exception {
        Path project = Files.createDirectory(root.resolve("p"));
        Files.createDirectory(project.resolve(".gitignore"));
        ProjectInit.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(ProjectInit.Refused.class,
                () -> new ProjectInit().init(project, true));
        assertEquals(project.resolve(".gitignore") + " is not a regular file; nothing was written", refused.getMessage());
        assertEquals(java.util.List.of(project.resolve(".gitignore")), Files.list(project).toList());
    }
}

package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * A repository someone else made, tried as its author would attack: an {@code @file} in the working directory
 * meant to rewrite the user's command, a {@code .git/config} and {@code .gitattributes} naming programs for
 * every kind of setting git runs (docs/security.md#a-cloned-repository-anyone-who-can-get-you-to-cd-into-a-directory),
 * and a {@code .config/roar/global.toml} that a relative {@code HOME} would make the user's own.
 */
@ExtendWith(AwaitUploaders.class)
class RepositoryTrustIT {
    private static final String PATH = "/api/v1/telemetry/roar";
    /** Each a program a hostile repository names; each leaves a marker file of its name when it runs. */
    private static final List<String> KINDS = List.of("fsmonitor", "clean", "smudge", "process", "textconv", "diff-command",
            "external-diff", "hook", "hooks-path", "pager", "ssh-command", "ext-transport", "upload-pack",
            "submodule-fsmonitor", "askpass", "credential");

    /** Where roar's paths point when there is no home: it must never come to exist. */
    private static final Path NO_HOME = Path.of("/nonexistent/roar-has-no-home");

    @TempDir Path root;

    @Test
    void anAtFileInTheWorkingDirectoryIsPassedAsWritten() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        Path work = roar.workDir();
        Files.createDirectories(work.resolve("types"));
        Files.writeString(work.resolve("types/x"), "INJECTED\n");
        Files.writeString(work.resolve("x"), "ALSO-INJECTED\n");
        Files.writeString(work.resolve("opts"), "--version\n");
        mkfifo(work.resolve("fifo"));

        RoarProcess.Result run = Faults.run(roar, "run", "--allow-dirty", "--", "printf", "[%s]", "@types/x", "@@x", "@fifo");
        assertEquals("[@types/x][@@x][@fifo]", run.stdout(), run.stderr());
        assertEquals(0, run.exitCode(), run.stderr());

        // no command of roar reads its arguments from a file: @opts is an unknown command, not --version
        RoarProcess.Result top = Faults.run(roar, "@opts");
        assertEquals(2, top.exitCode(), top.stdout() + top.stderr());
        assertFalse(top.stdout().contains("roar "), top.stdout());
        assertTrue(top.stderr().startsWith("roar: unknown command '@opts'."), top.stderr());
        Results.row("roar run -- printf [%s] @types/x @@x @fifo in a directory holding them", 2,
                "arguments passed as written; no command expands @files", 0, 0);
    }

    @Test
    void aRepositorysGitConfigurationStartsNoProgram() throws Exception {
        Path markers = Files.createDirectories(root.resolve("markers"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String kind : KINDS) {
            Path script = bin.resolve(kind);
            Files.writeString(script, "#!/bin/sh\ntouch '" + markers.resolve(kind) + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        RoarProcess roar = Faults.install(root.resolve("install"), "");

        // a work tree whose tracked files' stat data changed (so git compares contents through the clean filter)
        Path plain = hostileRepository(root.resolve("plain"), bin, false);
        RoarProcess.Result clean = Faults.run(roar.cwd(plain), "run", "--", "true");
        assertEquals(0, clean.exitCode(), "an unchanged tree is clean: " + clean.stderr());
        Files.writeString(plain.resolve("b.txt"), "changed\n");
        RoarProcess.Result dirty = Faults.run(roar.cwd(plain), "run", "--", "true");
        assertEquals(ExitCode.RUN_REFUSED.code(), dirty.exitCode(), "a changed tracked file is still dirty: " + dirty.stderr());
        RoarProcess.Result init = Faults.run(roar.cwd(plain), "init");
        assertEquals(0, init.exitCode(), init.stderr());
        assertTrue(init.stdout().contains("commit it before roar run"), "the tracked .gitignore was seen: " + init.stdout());

        // a partial clone whose HEAD tree is missing: git would fetch it through the remotes it names
        Path partial = hostileRepository(root.resolve("partial"), bin, true);
        RoarProcess.Result lazy = Faults.run(roar.cwd(partial), "run", "--", "true");
        assertEquals(0, lazy.exitCode(), lazy.stderr());
        assertEquals(0, Faults.run(roar.cwd(partial), "init").exitCode());

        try (Stream<Path> ran = Files.list(markers)) {
            assertEquals(List.of(), ran.map(p -> p.getFileName().toString()).sorted().toList(),
                    "programs the repository named ran during roar run / roar init");
        }
        Results.row("a repository's .git/config and .gitattributes name " + KINDS.size() + " kinds of program", 5,
                "none runs during roar run / roar init; the dirty check still works", 0, 0);
    }

    @Test
    void aRelativeHomeIsNoHome() throws Exception {
        try (Collector planted = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, null).without("XDG_CONFIG_HOME").without("XDG_CACHE_HOME")
                    .env("HOME", ".");
            Path work = roar.workDir();
            Path config = Files.createDirectories(work.resolve(".config/roar"));
            Files.writeString(config.resolve("global.toml"), "[telemetry]\nenabled = true\nendpoint = \"" + planted.url(PATH) + "\"\n");
            Files.writeString(config.resolve(".telemetry-disclosed"), "");

            RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
            assertEquals(0, status.exitCode(), status.stderr());
            assertTrue(status.stdout().contains("Telemetry: disabled\n"), status.stdout());
            assertTrue(status.stdout().contains("Disabled reason: no_home ("), status.stdout());
            assertFalse(status.stdout().contains(planted.url(PATH)), status.stdout());
            RoarProcess.Result run = Faults.run(roar, "run", "--allow-dirty", "--", "true");
            assertEquals(0, run.exitCode(), run.stderr());
            Faults.assertNoStackTrace(Faults.run(roar, "telemetry", "--flush"), "telemetry --flush");
            RoarProcess.Result enable = Faults.run(roar, "telemetry", "--enable");
            assertEquals(1, enable.exitCode(), enable.stdout());

            // a relative XDG value beside an absolute HOME is ignored too: HOME's own directories are used
            RoarProcess.Result xdg = Faults.run(roar.env("HOME", roar.root().resolve("home").toString())
                    .env("XDG_CONFIG_HOME", ".config").env("XDG_CACHE_HOME", ".cache"), "telemetry", "--status");
            assertTrue(xdg.stdout().contains("Global config: " + roar.root().resolve("home/.config/roar/global.toml")), xdg.stdout());
            assertFalse(xdg.stdout().contains(planted.url(PATH)), xdg.stdout());

            assertEquals(0, planted.connections(), "the repository's endpoint was never contacted");
            try (Stream<Path> files = Files.walk(work)) {
                assertEquals(List.of(".config", ".config/roar", ".config/roar/.telemetry-disclosed", ".config/roar/global.toml"),
                        files.filter(p -> !p.equals(work)).map(p -> work.relativize(p).toString()).sorted().toList(),
                        "nothing written in the working directory");
            }
            assertFalse(Files.exists(NO_HOME), "nothing written where a missing home points");
        }
        Results.row("HOME=. in a repository holding .config/roar/global.toml", 5,
                "no_home: telemetry off, nothing written, the repository's endpoint unused", 0, 0);
    }

    /**
     * A repository made clean by the test's own git, then given hostile settings: fsmonitor, clean/smudge and
     * process filters, textconv, a diff command and an external diff, hooks in .git/hooks and core.hooksPath,
     * a pager, askpass and a credential helper, a submodule with its own fsmonitor; {@code partial}: a partial
     * clone missing its HEAD tree, with promisor remotes over ext::, ssh (core.sshCommand) and a local upload-pack.
     */
    private static Path hostileRepository(Path repo, Path bin, boolean partial) throws Exception {
        Path sub = Files.createDirectories(repo.resolveSibling(repo.getFileName() + "-sub"));
        TestGit.run(sub, "init", "-q");
        TestGit.run(sub, "commit", "-q", "--allow-empty", "-m", "sub");
        Files.createDirectories(repo);
        TestGit.run(repo, "init", "-q");
        Files.writeString(repo.resolve("a.dat"), "data\n");
        Files.writeString(repo.resolve("b.txt"), "text\n");
        Files.writeString(repo.resolve(".gitignore"), "build/\n");
        Files.writeString(repo.resolve(".gitattributes"), "*.dat filter=evil diff=evil\n*.txt filter=proc diff=evil\n");
        TestGit.run(repo, "add", "-A");
        TestGit.run(repo, "-c", "protocol.file.allow=always", "submodule", "-q", "add", sub.toString(), "sub");
        TestGit.run(repo, "commit", "-q", "-m", "init");

        config(repo, "core.fsmonitor", bin.resolve("fsmonitor"));
        config(repo, "filter.evil.clean", bin.resolve("clean"));
        config(repo, "filter.evil.smudge", bin.resolve("smudge"));
        config(repo, "filter.evil.required", "true");
        config(repo, "filter.proc.process", bin.resolve("process"));
        config(repo, "diff.evil.textconv", bin.resolve("textconv"));
        config(repo, "diff.evil.command", bin.resolve("diff-command"));
        config(repo, "diff.external", bin.resolve("external-diff"));
        config(repo, "core.pager", bin.resolve("pager"));
        config(repo, "pager.status", "true");
        config(repo, "core.askPass", bin.resolve("askpass"));
        config(repo, "credential.helper", "!" + bin.resolve("credential"));
        Path hooks = Files.createDirectories(repo.resolve(".git/hooks"));
        Path hooksPath = Files.createDirectories(repo.resolve("hooks"));
        for (String hook : List.of("pre-commit", "post-checkout", "post-index-change", "reference-transaction",
                "fsmonitor-watchman", "pre-auto-gc", "post-merge", "pre-push")) {
            Files.copy(bin.resolve("hook"), hooks.resolve(hook));
            Files.copy(bin.resolve("hooks-path"), hooksPath.resolve(hook));
        }
        config(repo, "core.hooksPath", hooksPath);
        TestGit.run(repo, "config", "-f", ".git/modules/sub/config", "core.fsmonitor", bin.resolve("submodule-fsmonitor").toString());
        Files.writeString(repo.resolve("sub/untracked-in-sub"), "x\n");
        if (partial) {
            config(repo, "core.repositoryformatversion", "1");
            config(repo, "extensions.partialClone", "origin");
            config(repo, "remote.origin.url", "ext::" + bin.resolve("ext-transport"));
            config(repo, "remote.origin.promisor", "true");
            config(repo, "protocol.ext.allow", "always");
            config(repo, "remote.two.url", "ssh://git.example.invalid/x");
            config(repo, "remote.two.promisor", "true");
            config(repo, "core.sshCommand", bin.resolve("ssh-command"));
            config(repo, "remote.three.url", sub.toString());
            config(repo, "remote.three.promisor", "true");
            config(repo, "remote.three.uploadpack", bin.resolve("upload-pack"));
            config(repo, "protocol.file.allow", "always");
            String tree = TestGit.run(repo, "rev-parse", "HEAD^{tree}").strip();
            Files.delete(repo.resolve(".git/objects/" + tree.substring(0, 2) + "/" + tree.substring(2)));
        }
        // same contents, new stat data: git must compare contents, through the filters if it may
        FileTime past = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
        Files.setLastModifiedTime(repo.resolve("a.dat"), past);
        Files.setLastModifiedTime(repo.resolve("b.txt"), past);
        return repo;
    }

    private static void config(Path repo, String key, Object value) throws Exception {
        TestGit.run(repo, "config", key, value.toString());
    }

    private static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }
}

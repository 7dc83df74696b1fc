package ai.treqs.roar.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An interactive shell in a real terminal: tmux on its own server socket, so a test types keys (Tab
 * included) and reads the screen as a user would, and never touches anyone's tmux.
 */
public final class TmuxShell implements AutoCloseable {
    private final Path socket;

    /** Starts {@code shell} (e.g. {@code bash --norc -i}) in a 160x40 terminal, in {@code dir}, with exactly {@code env}. */
    public TmuxShell(Path dir, Map<String, String> env, String shell) throws IOException {
        this.socket = dir.resolve("tmux.sock");
        List<String> command = new ArrayList<>(List.of("env", "-i"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "40",
                "-c", dir.toString(), shell));
        run(command);
    }

    /** Whether tmux can be used here. */
    public static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Types {@code text} literally. */
    public TmuxShell type(String text) throws IOException {
        run(List.of("tmux", "-S", socket.toString(), "send-keys", "-l", text));
        return this;
    }

    /** Presses a key by tmux's name: {@code Tab}, {@code Enter}, {@code C-u}. */
    public TmuxShell press(String key) throws IOException {
        run(List.of("tmux", "-S", socket.toString(), "send-keys", key));
        return this;
    }

    /** The screen's text now. */
    public String screen() throws IOException {
        return run(List.of("tmux", "-S", socket.toString(), "capture-pane", "-p", "-J"));
    }

    /** The screen once {@code wanted} holds, or the last screen after {@code within}. */
    public String await(Predicate<String> wanted, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String screen = screen();
        while (!wanted.test(screen) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            screen = screen();
        }
        return screen;
    }

    @Override
    public void close() throws IOException {
        try {
            run(List.of("tmux", "-S", socket.toString(), "kill-server"));
        } catch (IOException e) {
            // the shell has exited already
        }
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

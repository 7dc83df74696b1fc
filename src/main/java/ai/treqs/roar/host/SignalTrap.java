package ai.treqs.roar.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While the wrapped command runs, roar does not die of SIGINT, SIGTERM or SIGHUP (docs/host-commands.md#signals):
 * SIGTERM and SIGHUP are forwarded to the command (each as itself: a command run under nohup keeps
 * ignoring a hangup), the terminal's SIGINT reaches the command by itself, and roar waits, records an
 * interruption, and exits with the command's code. SIGQUIT changes nothing, as on the JVM (which takes it for
 * its thread dump, out of the user's output): a native executable, built without the thread-dump monitoring
 * ({@code quarkus.native.monitoring}), would otherwise die of it with the command still running.
 */
final class SignalTrap implements AutoCloseable {
    private final AtomicBoolean received = new AtomicBoolean();
    private final List<Runnable> restore = new ArrayList<>();

    SignalTrap(Runnable onTerm, Runnable onHangUp) {
        trap("INT", () -> { });
        trap("TERM", onTerm);
        trap("HUP", onHangUp);
        handle("QUIT", s -> { }); // a handler of ours, not SIG_IGN: the command must not inherit "ignored"
    }

    private void trap(String name, Runnable action) {
        handle(name, s -> {
            received.set(true);
            action.run();
        });
    }

    private void handle(String name, SignalHandler handler) {
        try {
            Signal signal = new Signal(name);
            SignalHandler previous = Signal.handle(signal, handler);
            restore.add(() -> Signal.handle(signal, previous));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the signal cannot be trapped here (e.g. reserved by the JVM): keep the default behaviour
        }
    }

    boolean received() {
        return received.get();
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}

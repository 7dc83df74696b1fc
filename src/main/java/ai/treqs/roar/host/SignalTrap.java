package ai.treqs.roar.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While the wrapped command runs, roar does not die of SIGINT, SIGTERM or SIGHUP (contract §10, §13):
 * SIGTERM and SIGHUP are forwarded to the command (each as itself: a command run under nohup keeps
 * ignoring a hangup), the terminal's SIGINT reaches the command by itself, and roar waits, records an
 * interruption, and exits with the command's code.
 */
final class SignalTrap implements AutoCloseable {
    private final AtomicBoolean received = new AtomicBoolean();
    private final List<Runnable> restore = new ArrayList<>();

    SignalTrap(Runnable onTerm, Runnable onHangUp) {
        trap("INT", () -> { });
        trap("TERM", onTerm);
        trap("HUP", onHangUp);
    }

    private void trap(String name, Runnable action) {
        try {
            Signal signal = new Signal(name);
            SignalHandler previous = Signal.handle(signal, s -> {
                received.set(true);
                action.run();
            });
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

package ai.treqs.roar.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Optional;

import ai.treqs.roar.ExitCode;
import io.quarkus.runtime.LaunchMode;
import ai.treqs.roar.telemetry.io.IoMessages;

/**
 * Every command's standard output, remembering the first write that failed: a {@link PrintWriter} keeps only a
 * flag, so {@code roar telemetry --status >/dev/full} printed nothing and exited 0. After the command, a failed
 * write is one line on stderr and exit 1 (docs/configuration.md#exit-codes); a reader that went away (a closed
 * pipe: {@code roar --help | head -1}) is exit 1 without a line, as a program killed by SIGPIPE says nothing.
 */
final class StandardOutput extends FilterOutputStream {
    private volatile IOException failure;

    StandardOutput(OutputStream out) {
        super(out);
    }

    /** The writer picocli and every command print through: autoflush, in stdout's charset, as picocli makes its own. */
    static PrintWriter writer(StandardOutput stream) {
        Charset charset;
        try {
            charset = Charset.forName(System.getProperty("stdout.encoding", Charset.defaultCharset().name()));
        } catch (RuntimeException e) {
            charset = Charset.defaultCharset();
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }

    /**
     * Descriptor 1 itself: {@link System#out} is a PrintStream, which keeps a flag instead of the error. Under
     * {@code quarkus dev} and the in-process tests, {@link System#out} is what captures the output, so it is used.
     */
    static StandardOutput open() {
        return new StandardOutput(LaunchMode.current() == LaunchMode.NORMAL ? new FileOutputStream(FileDescriptor.out) : System.out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            remember(e);
            throw e;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            remember(e);
            throw e;
        }
    }

    private void remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** After the command: its exit code, or 1 when a write to standard output failed; the line to print on stderr, if any. */
    record Verdict(int exitCode, Optional<String> line) {}

    Verdict verdict(int exitCode, PrintWriter writer) {
        writer.flush();
        IOException failed = failure;
        if (failed == null) {
            return new Verdict(exitCode, Optional.empty());
        }
        int code = exitCode == ExitCode.SUCCESS.code() ? ExitCode.FAILURE.code() : exitCode;
        String why = IoMessages.why(failed);
        // EPIPE: the reader has gone (its text is the C library's, the same on every JDK)
        return why.equalsIgnoreCase("broken pipe") ? new Verdict(code, Optional.empty())
                : new Verdict(code, Optional.of("roar: cannot write to standard output: " + why));
    }
}

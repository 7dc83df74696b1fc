package ai.treqs.roar.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A collector on a plain {@link ServerSocket} with a chosen listen backlog, for the server kinds the
 * uploader must cope with (docs/performance.md#uploader-against-both-server-kinds): a keep-alive HTTP/1.1 server, a server that answers one request
 * per connection and closes (HTTP/1.0, like Python's {@code http.server}, listen backlog 5), and odd
 * answers (a {@code 204} with a body, 20,000 header lines, bytes that are not HTTP). It records every
 * request's {@code event_id} and counts the client's connections open at once as the kernel sees them
 * ({@code /proc/net/tcp}, sampled every millisecond: established or connecting, the ones still waiting in
 * the listen backlog included; open at once = seen in two samples in a row), which a server that accepts one
 * at a time cannot see itself.
 */
public final class RawCollector implements AutoCloseable {

    /** How the server answers. */
    public enum Kind { KEEP_ALIVE, HTTP10_CLOSE, NO_CONTENT_WITH_BODY, HUGE_HEADERS, GARBAGE }

    /** The kernel's TCP socket tables; a JVM's sockets are IPv6 ones (loopback as ::ffff:127.0.0.1) unless it prefers IPv4. */
    private static final List<Path> SOCKET_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

    private final Kind kind;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-collector");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> eventIds = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private volatile long answerDelayMillis;
    private volatile boolean sampling = true;
    /** Whether {@link #maxOpen} comes from the kernel's tables (else from accepted connections). */
    private final boolean seesClientSockets = canSeeClientSockets();
    /** The client ends (hex local address:port) of the sample with the most open: what a failure names. */
    private volatile String busiestSample = "";

    public RawCollector(Kind kind, int backlog) throws IOException {
        this.kind = kind;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        Thread acceptor = new Thread(this::acceptLoop, "raw-collector-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread sampler = new Thread(this::sampleClientSockets, "raw-collector-sockets");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Every answer waits this long first: a slow but healthy collector. */
    public RawCollector delay(long millis) {
        this.answerDelayMillis = millis;
        return this;
    }

    /** Whether the kernel's socket table can be read here (Linux); otherwise {@link #maxOpen} counts accepted ones only. */
    public static boolean canSeeClientSockets() {
        return SOCKET_TABLES.stream().allMatch(Files::isReadable);
    }

    private void sampleClientSockets() {
        if (!seesClientSockets) {
            return;
        }
        String remote = String.format(":%04X ", server.getLocalPort());
        Set<String> previous = Set.of();
        while (sampling) {
            try {
                // One sample is not a snapshot: the kernel writes the table in pieces, one read each, over a
                // millisecond or more (a thousand closed connections wait in it), so a sample can hold a socket
                // that closed and the one that replaced it, or list one socket twice. A client socket is its
                // local address and port; those seen in two samples in a row were all open at the moment
                // between the two reads (a connection is open for one stretch of time): count those.
                Set<String> clientEnds = new TreeSet<>();
                for (Path table : SOCKET_TABLES) {
                    for (String line : Files.readAllLines(table)) {
                        String[] f = line.trim().split("\\s+");
                        // f[1] local_address, f[2] rem_address (hex ip:port), f[3] the state: 01 ESTABLISHED, 02 SYN_SENT
                        if (f.length > 3 && (f[2] + " ").endsWith(remote) && (f[3].equals("01") || f[3].equals("02"))) {
                            clientEnds.add(f[1]);
                        }
                    }
                }
                Set<String> openBetween = new TreeSet<>(clientEnds);
                openBetween.retainAll(previous);
                previous = clientEnds;
                final int seen = openBetween.size();
                if (seen > maxOpen.getAndAccumulate(seen, Math::max)) {
                    busiestSample = String.join(" ", openBetween);
                }
                Thread.sleep(1);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** The most connections that were open at the same time. */
    public int maxOpen() {
        return maxOpen.get();
    }

    /** The client ends seen open at once when there were most of them (kernel socket table only). */
    public String busiestSample() {
        return busiestSample;
    }

    public int connections() {
        return connections.get();
    }

    public List<String> eventIds() {
        synchronized (eventIds) {
            return List.copyOf(eventIds);
        }
    }

    /** {@link System#nanoTime()} at which each request had been read. */
    public List<Long> arrivals() {
        synchronized (eventIds) {
            return List.copyOf(arrivals);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                int now = open.incrementAndGet();
                if (!seesClientSockets) {
                    maxOpen.accumulateAndGet(now, Math::max);
                }
                if (kind == Kind.HTTP10_CLOSE) {
                    // like http.server: one request at a time, on the accepting thread
                    serve(socket);
                } else {
                    pool.submit(() -> serve(socket));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            while (true) {
                byte[] body = readRequest(in);
                if (body == null) {
                    return;
                }
                Matcher m = EVENT_ID.matcher(new String(body, StandardCharsets.UTF_8));
                synchronized (eventIds) {
                    eventIds.add(m.find() ? m.group(1) : "");
                    arrivals.add(System.nanoTime());
                }
                if (answerDelayMillis > 0) {
                    Thread.sleep(answerDelayMillis);
                }
                out.write(answer());
                out.flush();
                if (kind != Kind.KEEP_ALIVE) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            open.decrementAndGet();
        }
    }

    private byte[] answer() {
        String text = switch (kind) {
            case KEEP_ALIVE -> "HTTP/1.1 204 No Content\r\n\r\n";
            case HTTP10_CLOSE -> "HTTP/1.0 204 No Content\r\nServer: BaseHTTP/0.6 Python/3\r\n\r\n";
            case NO_CONTENT_WITH_BODY -> "HTTP/1.1 204 No Content\r\nContent-Length: 12\r\n\r\nhello, world";
            case HUGE_HEADERS -> {
                StringBuilder sb = new StringBuilder("HTTP/1.1 204 No Content\r\n");
                for (int i = 0; i < 20_000; i++) {
                    sb.append("X-Header-").append(i).append(": ").append("v").append("\r\n");
                }
                yield sb.append("\r\n").toString();
            }
            case GARBAGE -> "\u0000\u0001garbage that is not HTTP at all\r\n\r\n\u00ff\u00fe";
        };
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads one request's head and Content-Length body; null at end of stream. */
    private static byte[] readRequest(InputStream in) throws IOException {
        String requestLine = Collector.line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        int length = 0;
        for (String h = Collector.line(in); h != null && !h.isEmpty(); h = Collector.line(in)) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(h.substring("content-length:".length()).trim());
            }
        }
        return in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        sampling = false;
        server.close();
        pool.shutdownNow();
    }
}

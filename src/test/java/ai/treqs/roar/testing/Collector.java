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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A telemetry collector on loopback for tests and for {@code quarkus dev}: a small HTTP/1.1 server on
 * a plain socket (so it can also misbehave: hang, trickle, close) that records every request.
 *
 * <p>Run it by hand (JDK only, no build needed):
 * {@code java src/test/java/ai/treqs/roar/testing/Collector.java 8899} prints each event it receives.
 * With {@code --quiet} it prints only its URL (port 0 picks a free port) and answers
 * {@code GET /_stats} with {@code {"requests":n,"first_ns":..,"last_ns":..}} (the {@link #arrivals()} of the
 * first and last request); {@code GET /_stats?reset} also forgets them. The benchmark (bench/)
 * measures uploader throughput with it.
 */
public final class Collector implements AutoCloseable {

    /** How the collector answers. */
    public enum Behaviour { NO_CONTENT, OK_200, SERVER_ERROR_500, TOO_MANY_429, REDIRECT_301, HANG, TRICKLE, CLOSE,
        /** What a proxy answers when it wants credentials (used as {@code http_proxy}). */
        PROXY_AUTH_407,
        /** {@code 200} announcing a 100 GB body, then data as fast as the client reads it, for ever. */
        ENDLESS_200,
        /** {@code 200} with a chunked body that never ends. */
        ENDLESS_CHUNKED_200 }

    /** One request as received. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "collector");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Behaviour behaviour;
    private volatile boolean echo;
    private volatile boolean statsEndpoint;

    public Collector(Behaviour behaviour) throws IOException {
        this(behaviour, 0);
    }

    public Collector(Behaviour behaviour, int port) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        pool.submit(this::acceptLoop);
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean quiet = rest.remove("--quiet");
        Collector collector = new Collector(Behaviour.NO_CONTENT, rest.isEmpty() ? 8899 : Integer.parseInt(rest.get(0)));
        collector.echo = !quiet;
        collector.statsEndpoint = quiet;
        System.out.println("collecting on " + collector.url("/api/v1/telemetry/roar") + " (204 for every POST)");
        System.out.flush();
        Thread.currentThread().join();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public void answer(Behaviour next) {
        behaviour = next;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** {@link System#nanoTime()} at which each request of {@link #requests()} had been read, in the same order. */
    public List<Long> arrivals() {
        synchronized (requests) {
            return List.copyOf(arrivals);
        }
    }

    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                pool.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        // buffered: the request line and headers are read a byte at a time
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            while (true) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                if (statsEndpoint && request.method().equals("GET") && request.path().startsWith("/_stats")) {
                    answerStats(out, request.path().endsWith("?reset"));
                    continue;
                }
                synchronized (requests) {
                    requests.add(request);
                    arrivals.add(System.nanoTime());
                }
                if (echo) {
                    System.out.println(request.method() + " " + request.path() + " " + request.bodyText());
                }
                Behaviour now = behaviour;
                switch (now) {
                    case HANG -> {
                        Thread.sleep(TimeUnit.MINUTES.toMillis(10));
                        return;
                    }
                    case CLOSE -> {
                        return;
                    }
                    case TRICKLE -> {
                        for (byte b : "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(1000);
                        }
                    }
                    case ENDLESS_200, ENDLESS_CHUNKED_200 -> {
                        boolean chunked = now == Behaviour.ENDLESS_CHUNKED_200;
                        out.write((chunked ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        byte[] data = new byte[1 << 20];
                        java.util.Arrays.fill(data, (byte) 'a');
                        while (true) { // until the client goes away
                            if (chunked) {
                                out.write("100000\r\n".getBytes(StandardCharsets.US_ASCII));
                            }
                            out.write(data);
                            if (chunked) {
                                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                            }
                            out.flush();
                        }
                    }
                    default -> {
                        out.write(statusLine(now).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    /** Standalone {@code --quiet} mode: how many requests came, and when the first and the last arrived. */
    private void answerStats(OutputStream out, boolean reset) throws IOException {
        String json;
        synchronized (requests) {
            long first = arrivals.isEmpty() ? 0 : arrivals.get(0);
            long last = arrivals.isEmpty() ? 0 : arrivals.get(arrivals.size() - 1);
            json = "{\"requests\":" + requests.size() + ",\"first_ns\":" + first + ",\"last_ns\":" + last + "}";
            if (reset) {
                requests.clear();
                arrivals.clear();
            }
        }
        byte[] body = json.getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String statusLine(Behaviour behaviour) {
        return switch (behaviour) {
            case NO_CONTENT -> "HTTP/1.1 204 No Content\r\n\r\n";
            case OK_200 -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";
            case SERVER_ERROR_500 -> "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
            case TOO_MANY_429 -> "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nRetry-After: 60\r\n\r\n";
            case REDIRECT_301 -> "HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n\r\n";
            case PROXY_AUTH_407 -> "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                    + "Content-Length: 0\r\n\r\n";
            default -> throw new IllegalStateException(behaviour.name());
        };
    }

    /** Reads one request (request line, headers, Content-Length body); null at end of stream. */
    private static Request read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        return new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, body);
    }

    /** One CRLF- or LF-terminated line of an HTTP head, without its terminator; null at end of stream. */
    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}

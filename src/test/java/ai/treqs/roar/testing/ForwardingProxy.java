package ai.treqs.roar.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forwarding HTTP proxy on loopback, as a corporate proxy would be: it takes absolute-form requests
 * ({@code POST http://collector.invalid:1234/path HTTP/1.1}), records each with its
 * {@code Proxy-Authorization} header, and forwards it in origin form to where {@link #route} maps the
 * host (a name that does not resolve, so only the proxy can reach it). Unknown hosts get {@code 502};
 * {@code CONNECT} (tunnels for https) gets {@code 501}: the tests use {@code http} endpoints.
 */
public final class ForwardingProxy implements AutoCloseable {

    /** One request as the proxy saw it: {@code target} is the request line's target, as sent. */
    public record Seen(String method, String target, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket server;
    private final Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "forwarding-proxy");
        t.setDaemon(true);
        return t;
    });

    public ForwardingProxy() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        pool.submit(this::acceptLoop);
    }

    /** Requests for {@code host} (any port) go to {@code to}. */
    public ForwardingProxy route(String host, InetSocketAddress to) {
        routes.put(host.toLowerCase(Locale.ROOT), to);
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            while (true) {
                Message request = Message.read(in, false);
                if (request == null) {
                    return;
                }
                String[] line = request.startLine.split(" ");
                synchronized (seen) {
                    seen.add(new Seen(line[0], line.length > 1 ? line[1] : "", request.headers, request.body));
                }
                if (line[0].equals("CONNECT")) {
                    out.write("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
                URI target = URI.create(line[1]);
                InetSocketAddress to = target.getHost() == null ? null : routes.get(target.getHost().toLowerCase(Locale.ROOT));
                if (to == null) {
                    out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                if (upstream == null) {
                    upstream = new Socket();
                    upstream.connect(to, 2000);
                }
                StringBuilder forwarded = new StringBuilder()
                        .append(line[0]).append(' ').append(target.getRawPath())
                        .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
                        .append(' ').append(line.length > 2 ? line[2] : "HTTP/1.1").append("\r\n");
                request.headers.forEach((name, value) -> {
                    if (!name.startsWith("proxy-")) { // hop-by-hop for the proxy: never passed on
                        forwarded.append(name).append(": ").append(value).append("\r\n");
                    }
                });
                forwarded.append("\r\n");
                OutputStream up = upstream.getOutputStream();
                up.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                up.write(request.body);
                up.flush();
                Message response = Message.read(upstream.getInputStream(), true);
                if (response == null) {
                    out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    upstream.close();
                    upstream = null;
                    continue;
                }
                out.write(response.raw());
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client or the upstream went away
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** An HTTP/1.1 message with a Content-Length body (or none: a 204/304 answer, a request without one). */
    private record Message(String startLine, Map<String, String> headers, byte[] body) {

        static Message read(InputStream in, boolean response) throws IOException {
            String start = line(in);
            if (start == null || start.isEmpty()) {
                return null;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            boolean bodiless = response && (start.contains(" 204 ") || start.contains(" 304 "));
            int length = bodiless ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new Message(start, headers, in.readNBytes(length));
        }

        byte[] raw() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(startLine).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            return out.toByteArray();
        }

        private static String line(InputStream in) throws IOException {
            return Collector.line(in);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}

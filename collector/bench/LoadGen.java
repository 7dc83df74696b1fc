import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Load generator for the collector (bench/run.sh): at each concurrency level, that many keep-alive connections
 * post valid version-1 events for a fixed time; a share of the posts repeats an event already acknowledged.
 * Prints, per level, events/s, p50/p99 latency and the status counts; at the end the distinct event ids that got
 * 204 (the rows the database must hold). Usage: java LoadGen.java URL SECONDS_PER_LEVEL DUP_SHARE LEVEL...
 */
public class LoadGen {
    static final String TEMPLATE = "{\"payload_schema_version\":1,\"stats_schema_version\":1,\"event_id\":\"%s\","
            + "\"install_id\":\"%s\",\"sequence\":%d,\"first_seen\":\"%s\",\"trigger\":\"%s\",\"trigger_ts\":\"%s\","
            + "\"counters_as_of\":\"%s\",\"version\":\"0.3.0\",\"platform\":{\"os\":\"linux\",\"arch\":\"x86_64\"},"
            + "\"subcommand_counts\":{\"init\":1,\"run\":3,\"run_success\":3},\"tracer_selections\":{\"auto\":3},"
            + "\"feature_capabilities\":{\"glaas_endpoint_kind\":\"custom\",\"blake3_available\":false,"
            + "\"ebpf_supported\":false,\"proxy_enabled\":false,\"ray_enabled\":false,\"osmo_enabled\":false}}";
    static final String[] TRIGGERS = {"first_seen_for_install_id", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run"};
    static final int RECENT = 4096;

    static long totalRequests;
    /** Set when the file named by -DstopFile appears: the running level ends there (bench/scale.sh). */
    static volatile boolean stopped;
    static final Set<String> acked = ConcurrentHashMap.newKeySet();
    static final AtomicReferenceArray<String> recent = new AtomicReferenceArray<>(RECENT);

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int seconds = Integer.parseInt(args[1]);
        double dupShare = Double.parseDouble(args[2]);
        String stopFile = System.getProperty("stopFile");
        if (stopFile != null) {
            Thread watcher = new Thread(() -> {
                while (!java.nio.file.Files.exists(java.nio.file.Path.of(stopFile))) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                stopped = true;
            });
            watcher.setDaemon(true);
            watcher.start();
        }
        System.out.printf("%-12s %10s %10s %9s %9s %9s %8s %8s%n", "connections", "requests", "events/s", "p50 ms",
                "p99 ms", "max ms", "204", "other");
        level(uri, 8, Integer.getInteger("warmup", 10), dupShare);
        System.out.println("(warm-up above, not a figure)");
        for (int i = 3; i < args.length; i++) {
            level(uri, Integer.parseInt(args[i]), seconds, dupShare);
        }
        System.out.println("distinct_acked=" + acked.size());
        System.out.println("total_requests=" + totalRequests);
    }

    static void level(URI uri, int connections, int seconds, double dupShare) throws Exception {
        long[] deadlineBox = new long[1];
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        AtomicLongArray statuses = new AtomicLongArray(600);
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] lat = new long[200_000];
            int[] n = new int[1];
            latencies.add(lat);
            counts.add(n);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    run(uri, deadlineBox[0], dupShare, lat, n, statuses);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    System.err.println("connection failed: " + e);
                }
            });
            t.start();
            threads.add(t);
        }
        long start = System.nanoTime();
        deadlineBox[0] = start + seconds * 1_000_000_000L;
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = counts.stream().mapToInt(a -> a[0]).sum();
        totalRequests += total;
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies.get(c), 0, all, k, counts.get(c)[0]);
            k += counts.get(c)[0];
        }
        Arrays.sort(all);
        long ok = statuses.get(204);
        System.out.printf("%-12d %10d %10.0f %9.1f %9.1f %9.1f %8d %8d%n", connections, total, total / elapsed,
                pct(all, 0.50), pct(all, 0.99), total == 0 ? 0 : all[total - 1] / 1e6, ok, total - ok);
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    static void run(URI uri, long deadline, double dupShare, long[] lat, int[] n, AtomicLongArray statuses)
            throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        while (System.nanoTime() < deadline && n[0] < lat.length && !stopped) {
            if (socket == null) {
                socket = new Socket(uri.getHost(), uri.getPort());
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }
            String body = null;
            if (random.nextDouble() < dupShare) {
                body = recent.get(random.nextInt(RECENT));
            }
            if (body == null) {
                String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                int step = random.nextInt(TRIGGERS.length);
                body = String.format(TEMPLATE, UUID.randomUUID(), UUID.randomUUID(), step + 1, now, TRIGGERS[step], now, now);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            out.write(head);
            out.write(bytes);
            out.flush();
            int response = readResponse(in);
            lat[n[0]++] = System.nanoTime() - t0;
            boolean close = response < 0 || response >= 1000;
            int status = response < 0 ? 0 : response % 1000;
            statuses.incrementAndGet(status);
            if (status == 204) {
                String id = body.substring(body.indexOf("\"event_id\":\"") + 12, body.indexOf("\",\"install_id\""));
                acked.add(id);
                recent.set(random.nextInt(RECENT), body);
            }
            if (close) {
                socket.close();
                socket = null;
            }
        }
        if (socket != null) {
            socket.close();
        }
    }

    /** The status of one HTTP/1.1 response, its body skipped; -1 when the connection closed. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return -1;
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = 0;
        boolean close = false;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        in.skipNBytes(length);
        return close ? 1000 + status : status;
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return sb.toString();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}

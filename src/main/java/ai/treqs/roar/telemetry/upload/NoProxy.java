package ai.treqs.roar.telemetry.upload;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * docs/proxies-and-ledger.md#behind-an-http-proxy, {@code no_proxy}: comma-separated entries, each a host name (that host and its
 * subdomains, a leading dot allowed), an IP address or CIDR block, or {@code *}. An IP endpoint is matched
 * only by whole addresses and blocks, never by a text suffix ({@code 0.0.1} does not match
 * {@code 127.0.0.1}); a host name only by names. Nothing is resolved.
 */
final class NoProxy {

    private NoProxy() {}

    static boolean bypasses(String noProxy, String host) {
        String h = stripBrackets(host.toLowerCase(Locale.ROOT));
        Optional<byte[]> hostAddress = ipLiteral(h);
        for (String raw : noProxy.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            entry = withoutPort(entry);
            if (hostAddress.isPresent()) {
                if (matchesAddress(entry, hostAddress.get())) {
                    return true;
                }
                continue;
            }
            if (entry.indexOf('/') >= 0 || ipLiteral(entry).isPresent()) {
                continue; // an address or block names no host name
            }
            if (entry.startsWith(".")) {
                entry = entry.substring(1);
            }
            if (!entry.isEmpty() && (h.equals(entry) || h.endsWith("." + entry))) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port} and {@code [v6]:port} entries match the host; a bare IPv6 address keeps its colons. */
    private static String withoutPort(String entry) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            return close < 0 ? entry : entry.substring(1, close) + entry.substring(close + 1).replaceFirst("^:\\d*", "");
        }
        int colon = entry.lastIndexOf(':');
        return colon > 0 && entry.indexOf(':') == colon ? entry.substring(0, colon) : entry;
    }

    private static boolean matchesAddress(String entry, byte[] host) {
        int slash = entry.indexOf('/');
        Optional<byte[]> network = ipLiteral(slash < 0 ? entry : entry.substring(0, slash));
        if (network.isEmpty() || network.get().length != host.length) {
            return false;
        }
        int bits = host.length * 8;
        if (slash >= 0) {
            String prefix = entry.substring(slash + 1);
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
                return false;
            }
            bits = Integer.parseInt(prefix);
        }
        int shift = host.length * 8 - bits;
        return new BigInteger(1, network.get()).shiftRight(shift).equals(new BigInteger(1, host).shiftRight(shift));
    }

    /** A dotted-quad IPv4 or an IPv6 literal, parsed strictly (no short forms such as {@code 127.1}). */
    static Optional<byte[]> ipLiteral(String text) {
        String s = stripBrackets(text);
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = s.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return Optional.empty();
                }
                out[i] = (byte) v;
            }
            return Optional.of(out);
        }
        return s.indexOf(':') >= 0 ? ipv6(s) : Optional.empty();
    }

    private static Optional<byte[]> ipv6(String s) {
        if (!s.matches("[0-9a-f:.]+") || s.contains(":::")) {
            return Optional.empty();
        }
        String head = s;
        String tail = "";
        int gap = s.indexOf("::");
        if (gap >= 0) {
            if (s.indexOf("::", gap + 1) >= 0) {
                return Optional.empty();
            }
            head = s.substring(0, gap);
            tail = s.substring(gap + 2);
        }
        List<Integer> front = groups(head);
        List<Integer> back = groups(tail);
        if (front == null || back == null) {
            return Optional.empty();
        }
        int missing = 8 - front.size() - back.size();
        if (missing < 0 || (gap < 0 && missing != 0) || (gap >= 0 && missing < 1)) {
            return Optional.empty();
        }
        byte[] out = new byte[16];
        int i = 0;
        for (int g : front) {
            out[i++] = (byte) (g >> 8);
            out[i++] = (byte) g;
        }
        i += missing * 2;
        for (int g : back) {
            out[i++] = (byte) (g >> 8);
            out[i++] = (byte) g;
        }
        return Optional.of(out);
    }

    /** 16-bit groups; a trailing dotted IPv4 counts as two. Null when not valid. */
    private static List<Integer> groups(String part) {
        List<Integer> out = new ArrayList<>();
        if (part.isEmpty()) {
            return out;
        }
        String[] pieces = part.split(":", -1);
        for (int k = 0; k < pieces.length; k++) {
            String p = pieces[k];
            if (k == pieces.length - 1 && p.indexOf('.') >= 0) {
                Optional<byte[]> v4 = ipLiteral(p);
                if (v4.isEmpty() || v4.get().length != 4) {
                    return null;
                }
                byte[] b = v4.get();
                out.add(((b[0] & 0xff) << 8) | (b[1] & 0xff));
                out.add(((b[2] & 0xff) << 8) | (b[3] & 0xff));
            } else if (p.matches("[0-9a-f]{1,4}")) {
                out.add(Integer.parseInt(p, 16));
            } else {
                return null;
            }
        }
        return out;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}

package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the group whose gid is the user's uid is the user's alone, so that its write permission is the user's
 * (docs/security.md#names-in-shared-directories-and-directories-another-user-made): named as the user, and nobody else is in it. Another account in it (a member, or
 * an account whose primary group it is) could rename what is in a 0775 {@code ~/.config} or {@code ~/.cache} away.
 * Asked of {@code /etc/passwd} and {@code /etc/group} alone, each at most {@link #MAX_BYTES}: a group only a directory
 * service (LDAP, NSS) knows, or one whose members it might add ({@code +}/{@code -} lines), does not count. The
 * launcher's {@code private_group_ours} is the same rule in bash.
 */
public final class PrivateGroup {
    /** The most of {@code /etc/passwd} or {@code /etc/group} read; a larger file means no private group. */
    public static final int MAX_BYTES = 1 << 20;
    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path GROUP = Path.of("/etc/group");

    private PrivateGroup() {}

    /** Whether the group with gid {@code me} (the user's uid) is the user's alone, as this host's files say. */
    public static boolean oursAlone(int me) {
        Optional<String> passwd = read(PASSWD);
        Optional<String> group = passwd.isPresent() ? read(GROUP) : Optional.empty();
        return group.isPresent() && oursAlone(passwd.get(), group.get(), me);
    }

    /**
     * The rule alone; pure. The user's name is that of the first account in {@code passwd} with uid {@code me}; a group
     * in {@code group} with that name has gid {@code me}; every group with gid {@code me} has an empty member list, and
     * every account whose primary gid is {@code me} has uid {@code me}. Empty lines and {@code #} comments are skipped; a line
     * whose numbers are not plain decimal digits means no (glibc reads {@code " 1000"} or {@code "+1000"} as 1000).
     */
    public static boolean oursAlone(String passwd, String group, int me) {
        String id = Integer.toString(me);
        String name = null;
        for (String line : passwd.split("\n", -1)) {
            if (line.startsWith("+") || line.startsWith("-")) {
                return false;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", 5);
            if (f.length < 4 || number(f[2]).isEmpty() || number(f[3]).isEmpty()) {
                return false;
            }
            boolean mine = number(f[2]).get().equals(id);
            if (mine && name == null) {
                name = f[0];
            }
            if (number(f[3]).get().equals(id) && !mine) {
                return false;
            }
        }
        if (name == null) {
            return false;
        }
        boolean named = false;
        for (String line : group.split("\n", -1)) {
            if (line.startsWith("+") || line.startsWith("-")) {
                return false;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", 4);
            if (f.length < 3 || number(f[2]).isEmpty()) {
                return false;
            }
            if (!number(f[2]).get().equals(id)) {
                continue;
            }
            if (f.length == 4 && f[3].chars().anyMatch(c -> c != ':')) {
                return false;
            }
            named |= f[0].equals(name);
        }
        return named;
    }

    /** {@code field} without leading zeros when it is decimal digits only ("0" for zeros only). */
    private static Optional<String> number(String field) {
        if (field.isEmpty() || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        String stripped = field.replaceFirst("^0+", "");
        return Optional.of(stripped.isEmpty() ? "0" : stripped);
    }

    /** {@code file}'s bytes as Latin-1 (a byte a character, as the launcher compares them); none past the bound or not a file. */
    private static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty(); // a FIFO would never end
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            return bytes.length > MAX_BYTES ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.ISO_8859_1));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}

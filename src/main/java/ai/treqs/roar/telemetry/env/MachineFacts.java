package ai.treqs.roar.telemetry.env;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the payload says about this machine, found cheaply (no process, no network: docs/telemetry.md#what-is-collected) and
 * handed to {@code payload} as values, so the payload stays a pure function of its inputs.
 *
 * @param osName            the JVM's {@code os.name}
 * @param osArch            the JVM's {@code os.arch}
 * @param kernelBtf         {@code /sys/kernel/btf/vmlinux} exists (eBPF support, on Linux)
 * @param blake3OnClassPath a BLAKE3 implementation's class file is on the class path
 */
public record MachineFacts(String osName, String osArch, boolean kernelBtf, boolean blake3OnClassPath) {
    private static final String[] BLAKE3_CLASSES = {
        "org/bouncycastle/crypto/digests/Blake3Digest.class",
        "io/lktk/NativeBLAKE3.class",
        "com/github/blake3/Blake3.class",
        "org/apache/commons/codec/digest/Blake3.class",
    };

    public static MachineFacts probe() {
        return new MachineFacts(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                Files.exists(Path.of("/sys/kernel/btf/vmlinux")), findBlake3());
    }

    /** Looks for the class file as a resource: nothing is loaded or initialised. */
    private static boolean findBlake3() {
        ClassLoader loader = MachineFacts.class.getClassLoader();
        for (String name : BLAKE3_CLASSES) {
            if (loader.getResource(name) != null) {
                return true;
            }
        }
        return false;
    }
}

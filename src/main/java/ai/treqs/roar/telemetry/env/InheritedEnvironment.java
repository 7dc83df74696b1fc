package ai.treqs.roar.telemetry.env;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Edits a child's inherited environment ({@code ProcessBuilder.environment()}) into the one wanted, so that every
 * variable passed on unchanged keeps the bytes the user gave it: Java holds names and values as text, and one whose
 * bytes are not text in the locale's encoding would otherwise reach the child as the bytes of U+FFFD
 * (docs/security.md#undecodable-base-directories). The inherited map is walked rather than asked by name: it
 * compares names by their encoded bytes, so asking for a name that did not decode misses it, and a put would add
 * the name a second time, mangled.
 */
public final class InheritedEnvironment {
    private InheritedEnvironment() {}

    public static void edit(Map<String, String> inherited, Map<String, String> wanted) {
        inherited.keySet().retainAll(wanted.keySet());
        Set<String> present = new HashSet<>();
        for (Map.Entry<String, String> entry : inherited.entrySet()) {
            present.add(entry.getKey());
            String value = wanted.get(entry.getKey());
            if (!value.equals(entry.getValue())) {
                entry.setValue(value);
            }
        }
        wanted.forEach((name, value) -> {
            if (!present.contains(name)) {
                inherited.put(name, value);
            }
        });
    }
}

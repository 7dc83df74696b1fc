import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Packaging tool (run by package-launcher.sh with a JDK 24+ single-file launch, never part of the app):
 * rewrites class files older than Java 6 (major version &lt; 50) in the given jars as Java 8 class files
 * with stack maps, the bytecode otherwise unchanged.
 *
 * <p>Why: the JDK's CDS archive and AOT cache skip every class that needs the old type-inferring
 * verifier ("Old class has been linked"), and every class that implements or extends one. picocli
 * 4.7 ships Java 5 class files, so without this about 180 picocli classes, and roar's own classes
 * that implement picocli interfaces, are loaded, parsed and verified from the jar at every start.
 *
 * <p>A jar is replaced only when every old class in it was rewritten; on any error it is left as it
 * was and the launcher simply starts a little slower.
 */
public final class UpgradeClassFiles {
    private static final int TARGET_MAJOR = 52;

    public static void main(String[] args) {
        int jars = 0;
        int classes = 0;
        for (String arg : args) {
            Path jar = Path.of(arg);
            try {
                int n = upgrade(jar);
                if (n > 0) {
                    jars++;
                    classes += n;
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("[roar-launcher] " + jar.getFileName() + " left as it was: " + e);
            }
        }
        System.out.println("[roar-launcher] rewrote " + classes + " pre-Java 6 class files in " + jars
                + " jar(s) as Java 8 class files, so the start-up cache can hold them");
    }

    private static int upgrade(Path jar) throws IOException {
        if (!hasOldClasses(jar)) {
            return 0;
        }
        Path temp = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int upgraded = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             ZipFile in = new ZipFile(jar.toFile());
             OutputStream file = Files.newOutputStream(temp);
             ZipOutputStream out = new ZipOutputStream(file)) {
            // stack maps need the common super class of types that meet: the JDK's and this jar's classes
            ClassFile classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (isClass(entry)) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < 50) {
                        bytes = classFile.transformClass(model,
                                ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL).andThen((builder, element) -> {
                                    if (element instanceof ClassFileVersion) {
                                        builder.withVersion(TARGET_MAJOR, 0);
                                    } else {
                                        builder.with(element);
                                    }
                                }));
                        upgraded++;
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return upgraded;
    }

    private static boolean hasOldClasses(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                if (isClass(entry)) {
                    byte[] head = zip.getInputStream(entry).readNBytes(8);
                    if (head.length == 8 && ((head[6] & 0xff) << 8 | (head[7] & 0xff)) < 50) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isClass(ZipEntry entry) {
        return entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/");
    }
}

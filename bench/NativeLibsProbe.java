import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the native code the Raspberry Pi path needs into this JVM and calls into each library once: Pi4J's gpiod
 * library (libgpiod.so + libpi4j-gpiod.so from the jar's lib/&lt;arch&gt;/), Pi4J's linuxfs library
 * (libpi4j-linuxfs.so) and JNA's libjnidispatch with the C library, which Pi4J's linuxfs SPI provider calls for
 * its ioctls. On a machine that is not a Pi the SPI transport fails before any of this loads (no board, no
 * /dev/spidev), so bench/run-arm64.sh runs this probe under an arm64 JVM to catch a native library that does not
 * load or link for aarch64. Prints one line per library and exits 1 if any failed. Run with the ./pnn jars:
 * {@code java -cp "bench-classes:runtime/target/lib/*" NativeLibsProbe}.
 */
public final class NativeLibsProbe {
    private static int failures;

    public static void main(String[] args) {
        System.out.println("os.arch " + System.getProperty("os.arch"));
        try {
            usePi4jLibrariesFromJars();
        } catch (IOException e) {
            System.out.println("FAIL extracting Pi4J's native libraries: " + e);
            System.exit(1);
        }
        // GpioD's static initializer loads both gpiod libraries; a chip that does not exist must come back as
        // Pi4J's GpioDException from the native code, which proves the JNI functions are bound
        check("pi4j-gpiod", () -> {
            Class<?> gpiod = Class.forName("com.pi4j.library.gpiod.internal.GpioD");
            Method open = gpiod.getDeclaredMethod("chipOpen", String.class);
            open.setAccessible(true);
            try {
                open.invoke(null, "/nonexistent/gpiochip-probe");
                return "opened a chip that does not exist?";
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable c = e.getCause();
                if (c instanceof UnsatisfiedLinkError || c instanceof LinkageError) {
                    throw (Error) c;
                }
                return "loaded; chipOpen(missing chip) answered " + c.getClass().getSimpleName();
            }
        });
        check("pi4j-linuxfs", () -> {
            // LinuxFile loads libpi4j-linuxfs.so when initialised; the JNI functions in it are LinuxFile's
            Method strerror = Class.forName("com.pi4j.library.linuxfs.LinuxFile")
                    .getDeclaredMethod("strerror", int.class);
            strerror.setAccessible(true);
            return "loaded; LinuxFile.strerror(2) = \"" + strerror.invoke(null, 2) + "\"";
        });
        check("jna + libc", () -> {
            Class<?> function = Class.forName("com.sun.jna.Function");
            Object getpid = function.getMethod("getFunction", String.class, String.class).invoke(null, "c", "getpid");
            int pid = (Integer) function.getMethod("invokeInt", Object[].class).invoke(getpid, (Object) new Object[0]);
            long expected = ProcessHandle.current().pid();
            if (pid != expected) {
                throw new IllegalStateException("getpid() through JNA = " + pid + ", the JVM says " + expected);
            }
            return "libjnidispatch loaded; getpid() through JNA = " + pid + " (matches)";
        });
        System.out.println("native libraries: " + (failures == 0 ? "all loaded" : failures + " failed"));
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * Pi4J loads its libraries from the jar only on a board it recognises ("Can't load the library, board model is
     * unknown" anywhere else, e.g. under qemu), so the probe copies this architecture's copies out of the jars and
     * names the directory in pi4j.library.path, which Pi4J loads from without asking about the board.
     */
    private static void usePi4jLibrariesFromJars() throws IOException {
        String arch = switch (System.getProperty("os.arch")) {
            case "aarch64", "arm64" -> "aarch64";
            case "arm", "armhf" -> "armhf";
            default -> null; // Pi4J ships no other; the loads below fail, saying so
        };
        if (arch == null) {
            return;
        }
        Path dir = Files.createTempDirectory("pnn-native-probe");
        for (String lib : new String[] {"pi4j-gpiod/libgpiod.so", "pi4j-gpiod/libpi4j-gpiod.so",
                "pi4j-linuxfs/libpi4j-linuxfs.so"}) {
            try (InputStream in = NativeLibsProbe.class.getResourceAsStream("/lib/" + arch + "/" + lib)) {
                if (in == null) {
                    throw new IOException("no lib/" + arch + "/" + lib + " in the Pi4J jars on the class path");
                }
                Path target = dir.resolve(lib.substring(lib.indexOf('/') + 1));
                Files.copy(in, target);
                target.toFile().deleteOnExit();
            }
        }
        dir.toFile().deleteOnExit();
        System.setProperty("pi4j.library.path", dir.toString());
    }

    private interface Probe {
        String run() throws Throwable;
    }

    private static void check(String name, Probe probe) {
        try {
            System.out.println("OK   " + name + ": " + probe.run());
        } catch (Throwable t) {
            Throwable root = t;
            while ((root instanceof java.lang.reflect.InvocationTargetException
                    || root instanceof ExceptionInInitializerError) && root.getCause() != null) {
                root = root.getCause();
            }
            failures++;
            System.out.println("FAIL " + name + ": " + root);
        }
    }
}

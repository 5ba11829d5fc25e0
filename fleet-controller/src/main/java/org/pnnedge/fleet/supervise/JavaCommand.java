package org.pnnedge.fleet.supervise;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pnnedge.runtime.io.Processes;

/**
 * How to start another JVM like this one: the same {@code java} ({@code java.home}), the same class path, the
 * launcher's system properties ({@code pnn.home}, the log level), {@code PNN_JAVA_OPTS} and the flags the
 * {@code ./pnn} launcher gives the controller; then a main class and its arguments. Also tells a process of ours
 * from an unrelated one that reuses a recorded pid.
 *
 * @param mainClass the main class the processes run
 * @param marker    a string each of our processes has on its command line (the fleet state directory)
 */
public record JavaCommand(String mainClass, String marker) {
    private static final List<String> PASSED_PROPERTIES = List.of("pnn.home", "tinylog.writer.level");

    /** The command line: {@code java [options] -cp <class path> <main> <args>}. */
    public List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // Netty under the HiveMQ client, as ./pnn passes it
        }
        String extra = System.getenv("PNN_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        cmd.addAll(jvmOptions);
        for (String p : PASSED_PROPERTIES) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Whether {@code pid} runs and is one of ours: its command line names the main class and the marker (a pid
     * file can outlive its process, and the pid be given to another).
     */
    public boolean ours(long pid) {
        if (!Processes.running(pid)) {
            return false;
        }
        String line = commandLine(pid);
        return line.contains(mainClass) && line.contains(marker);
    }

    private static String commandLine(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(b, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        }
    }
}

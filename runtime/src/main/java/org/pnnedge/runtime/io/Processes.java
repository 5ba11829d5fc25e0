package org.pnnedge.runtime.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about a process by its pid, for code that keeps pid files (broker nodes, controller processes). */
public final class Processes {
    private Processes() {
    }

    /**
     * Running: the pid exists, is alive and is not a zombie (a killed process whose parent, e.g. the shell's init,
     * has not reaped it yet still has a handle but runs nothing).
     */
    public static boolean running(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(Processes::running).orElse(false);
    }

    /** As {@link #running(long)}, for a handle (which also tells a reused pid from the process it was taken for). */
    public static boolean running(ProcessHandle process) {
        return process.isAlive() && !zombie(process.pid());
    }

    /** True when /proc says the process has exited and waits to be reaped (state Z). */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux) or the process is gone
        }
    }
}

package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux's /proc says about a node: resident memory, open-file limits, established connections on a port. */
final class ProcInfo {
    private ProcInfo() {
    }

    /** {soft, hard} "Max open files" from a limits file; {-1, -1} when unreadable ("unlimited" is Long.MAX_VALUE). */
    static long[] openFiles(Path limits) {
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {value(f[0]), value(f[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux) or the process is gone
        }
        return new long[] {-1, -1};
    }

    static long[] openFiles(long pid) {
        return openFiles(Path.of("/proc", Long.toString(pid), "limits"));
    }

    /** Resident set size in KiB, -1 when unknown. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** Established TCP connections whose local port is one of {@code ports} (server side of a listener). */
    static int established(List<Integer> ports) {
        int n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[3].equals("01")) {
                        int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                        n += ports.contains(port) ? 1 : 0;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no IPv6 table, or not Linux
            }
        }
        return n;
    }

    private static long value(String s) {
        return s.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(s);
    }
}

package org.pnnedge.fleet.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.pnnedge.fleet.supervise.ControllerState.Phase;
import org.pnnedge.runtime.io.AtomicFiles;

/**
 * The controller seen from outside ({@code pnn fleet up|down|status}, {@code pnn fleet controller
 * start|stop|status}): starts the supervisor in the background (its own session, so it outlives the shell) and
 * waits until every child is ready, stops it, and reports each process with whether it runs.
 */
public final class Controllers {
    private static final Duration POLL = Duration.ofMillis(250);

    private Controllers() {
    }

    /** What {@link #start} saw: every child ready, or the first problem (naming the process and its last log line). */
    public record Started(boolean ok, long pid, Duration elapsed, ControllerState state, String problem) {
    }

    /** One process of the controller as {@code status} shows it. */
    public record Proc(String name, long pid, boolean up, String phase, int restarts, String url, String why) {
    }

    /**
     * Starts {@code java … <main> <runArgs>} (a supervisor) detached, with its output in {@code controller.log},
     * and waits up to {@code timeout} until every child is ready. A supervisor of this state directory that runs
     * already is refused; a failed start leaves what runs for {@link #stop}.
     */
    public static Started start(ControllerLayout layout, JavaCommand java, List<String> runArgs, Duration timeout)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        AtomicFiles.createPrivateDirectories(layout.dir());
        long other = Supervisor.readPid(layout.supervisorPid());
        if (other > 0 && java.ours(other)) {
            throw new IllegalStateException("a controller already runs for " + layout.stateDir() + " (pid " + other
                    + "): pnn fleet down, or pnn fleet controller stop, first");
        }
        Files.deleteIfExists(layout.statusFile());
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // its own session: a hang-up of the starting terminal does not reach it
        }
        cmd.addAll(java.command(List.of("-Xmx64m", "-XX:+UseSerialGC"), runArgs));
        Process p = new ProcessBuilder(cmd).directory(layout.dir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(ControllerLayout.privateLog(layout.supervisorLog()).toFile()))
                .start();
        long deadline = t0 + timeout.toNanos();
        ControllerState last = null;
        while (true) {
            Optional<ControllerState> s = readQuietly(layout);
            if (s.isPresent() && s.get().supervisorPid() == p.pid()) {
                last = s.get();
                Optional<ControllerState.Child> failed = last.children().stream()
                        .filter(c -> c.phase() == Phase.FAILED).findFirst();
                if (failed.isPresent()) {
                    return new Started(false, p.pid(), since(t0), last, failed.get().name() + " failed: " + failed.get().why());
                }
                if (last.children().stream().allMatch(c -> c.phase() == Phase.READY)) {
                    return new Started(true, p.pid(), since(t0), last, "");
                }
            }
            if (!p.isAlive()) {
                return new Started(false, p.pid(), since(t0), last, "the controller (pid " + p.pid() + ") exited with code "
                        + p.exitValue() + "; last line of controller.log: " + ChildProcess.lastLine(layout.supervisorLog()));
            }
            if (System.nanoTime() > deadline) {
                return new Started(false, p.pid(), since(t0), last, notReady(layout, last, timeout));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String notReady(ControllerLayout layout, ControllerState s, Duration timeout) {
        if (s == null) {
            return "the controller wrote no status within " + timeout + "; last line of controller.log: "
                    + ChildProcess.lastLine(layout.supervisorLog());
        }
        List<String> out = new ArrayList<>();
        for (ControllerState.Child c : s.children()) {
            if (c.phase() != Phase.READY) {
                out.add(c.name() + " " + c.phase() + (c.why().isEmpty() ? "" : " (" + c.why() + ")") + "; last line of "
                        + c.name() + ".log: " + ChildProcess.lastLine(layout.log(c.name())));
            }
        }
        return "not ready within " + timeout + ": " + String.join("; ", out);
    }

    /**
     * Stops the supervisor (SIGTERM: it stops its children, each SIGTERM then SIGKILL) and waits up to
     * {@code timeout}; SIGKILLs it after that, and ends any child still running from its pid file. One line per
     * process.
     */
    public static List<String> stop(ControllerLayout layout, JavaCommand java, Duration timeout) throws IOException {
        List<String> out = new ArrayList<>();
        long pid = Supervisor.readPid(layout.supervisorPid());
        if (pid > 0 && java.ours(pid)) {
            out.add("controller (pid " + pid + "): " + Supervisor.end(pid, timeout));
        } else {
            out.add("controller: not running");
        }
        Files.deleteIfExists(layout.supervisorPid());
        out.addAll(Supervisor.endLeftovers(layout, java, Duration.ofSeconds(10)));
        return out;
    }

    /** The supervisor and each child with whether its process runs; empty when the controller never ran here. */
    public static List<Proc> processes(ControllerLayout layout, JavaCommand java) throws IOException {
        Optional<ControllerState> s = readQuietly(layout);
        if (s.isEmpty()) {
            return List.of();
        }
        List<Proc> out = new ArrayList<>();
        long sp = s.get().supervisorPid();
        boolean up = java.ours(sp);
        out.add(new Proc("controller", sp, up, up ? (s.get().stopping() ? "STOPPING" : "RUNNING") : "-", 0, "", ""));
        for (ControllerState.Child c : s.get().children()) {
            boolean alive = c.pid() > 0 && java.ours(c.pid());
            out.add(new Proc(c.name(), c.pid(), alive, c.phase().name(), c.restarts(), c.url(), c.why()));
        }
        return out;
    }

    /** The lines {@code status} prints, one per process; a process whose pid is gone is DOWN whatever its phase. */
    public static List<String> describe(List<Proc> procs) {
        List<String> out = new ArrayList<>();
        for (Proc p : procs) {
            out.add(String.format("%-14s pid %-8d %-4s %-9s restarts %d%s%s", p.name(), p.pid(), p.up() ? "up" : "DOWN",
                    p.phase(), p.restarts(), p.url().isEmpty() ? "" : "  " + p.url(), p.why().isEmpty() ? "" : "  last exit: " + p.why()));
        }
        return out;
    }

    private static Optional<ControllerState> readQuietly(ControllerLayout layout) {
        try {
            return ControllerState.read(layout);
        } catch (IOException e) {
            return Optional.empty(); // being replaced: the next look sees it
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}

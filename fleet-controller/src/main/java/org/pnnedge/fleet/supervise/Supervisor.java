package org.pnnedge.fleet.supervise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.pnnedge.runtime.io.AtomicFiles;
import org.pnnedge.runtime.io.ProcessStop;
import org.tinylog.Logger;

/**
 * The controller's supervisor ({@code pnn fleet controller run}): owns the child processes, looks at each every
 * {@link #TICK} (dead? ready?), restarts a dead one as its {@link RestartPolicy} allows, and writes what it saw to
 * {@code status.json} whenever that changes. {@link #stop} (from the SIGTERM hook) sends SIGTERM to all children,
 * waits up to the stop timeout, then SIGKILLs what is left ({@link ProcessStop}). Nobody restarts the supervisor itself: a service
 * manager does (systemd {@code Restart=}), or the operator with {@code pnn fleet up}; a new supervisor first ends
 * the children a killed one left behind (found by their pid files).
 */
public final class Supervisor {
    static final Duration TICK = Duration.ofMillis(250);
    private static final long ROTATE_EVERY_NANOS = 60_000_000_000L;

    private final ControllerLayout layout;
    private final JavaCommand java;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Duration stopTimeout;
    private final String started = Instant.now().toString();
    private final Object lock = new Object();
    private boolean stopping;
    private boolean stopped;
    /** Set once this supervisor owns the directory: before, stop() must not touch another one's files. */
    private volatile boolean owner;

    public Supervisor(ControllerLayout layout, JavaCommand java, List<ChildSpec> specs, Duration stopTimeout) {
        this.layout = layout;
        this.java = java;
        this.stopTimeout = stopTimeout;
        for (ChildSpec s : specs) {
            if (children.stream().anyMatch(c -> c.name().equals(s.name()))) {
                throw new IllegalArgumentException("bad-option: two controller processes named " + s.name());
            }
            children.add(new ChildProcess(s, layout, java));
        }
    }

    /**
     * Refuses when another supervisor of this state directory runs; ends children a dead supervisor left; writes
     * the pid file and starts every child.
     */
    public void start() throws IOException {
        AtomicFiles.createPrivateDirectories(layout.dir());
        long me = ProcessHandle.current().pid();
        long other = readPid(layout.supervisorPid());
        if (other > 0 && other != me && java.ours(other)) {
            throw new IllegalStateException("a controller already runs for " + layout.stateDir() + " (pid " + other
                    + "): pnn fleet down, or pnn fleet controller stop, first");
        }
        owner = true;
        for (String left : endLeftovers(layout, java, stopTimeout)) {
            Logger.warn("controller: {}", left);
        }
        AtomicFiles.write(layout.supervisorPid(), (me + "\n").getBytes(StandardCharsets.US_ASCII));
        synchronized (lock) {
            for (ChildProcess c : children) {
                c.start();
                Logger.info("controller: started {}, pid {}", c.name(), c.state().pid());
            }
            writeState();
        }
    }

    /** Supervises until {@link #stop} is called (by the SIGTERM hook). */
    public void run() throws IOException, InterruptedException {
        long rotated = System.nanoTime();
        while (true) {
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                boolean changed = false;
                long now = System.nanoTime();
                for (ChildProcess c : children) {
                    try {
                        changed |= c.poll(now);
                    } catch (IOException e) {
                        Logger.warn("controller: cannot look after {}: {}", c.name(), e.getMessage());
                    }
                }
                if (now - rotated > ROTATE_EVERY_NANOS) {
                    rotated = now;
                    for (ChildProcess c : children) {
                        c.rotateLog();
                    }
                }
                if (changed) {
                    writeState();
                }
            }
            Thread.sleep(TICK.toMillis());
        }
    }

    /** SIGTERM to every child, SIGKILL to those still alive after the stop timeout; idempotent. */
    public void stop() {
        synchronized (lock) {
            if (stopped || !owner) {
                stopping = true;
                return;
            }
            stopping = true;
            try {
                writeState();
            } catch (IOException e) {
                Logger.warn("controller: {}", e.getMessage());
            }
            List<ChildProcess> alive = children.stream().filter(ChildProcess::alive).toList();
            List<ProcessStop.Outcome> ended = ProcessStop.end(alive.stream().map(ChildProcess::handle).toList(), stopTimeout);
            for (int i = 0; i < alive.size(); i++) {
                if (ended.get(i) == ProcessStop.Outcome.KILLED || ended.get(i) == ProcessStop.Outcome.UNKILLABLE) {
                    Logger.warn("controller: {} did not stop within {}: killed (SIGKILL){}", alive.get(i).name(), stopTimeout,
                            ended.get(i) == ProcessStop.Outcome.UNKILLABLE ? ", still running " + ProcessStop.KILL_WAIT + " later" : "");
                }
            }
            try {
                for (ChildProcess c : children) {
                    c.stopped();
                }
                writeState();
                Files.deleteIfExists(layout.supervisorPid());
            } catch (IOException e) {
                Logger.warn("controller: {}", e.getMessage());
            }
            stopped = true;
        }
    }

    private void writeState() throws IOException {
        new ControllerState(ProcessHandle.current().pid(), started, stopping,
                children.stream().map(ChildProcess::state).toList()).write(layout);
    }

    /**
     * Ends the children whose pid files name a live process of ours (left by a supervisor that was killed):
     * SIGTERM, then SIGKILL after {@code timeout}; returns one line per process ended.
     */
    static List<String> endLeftovers(ControllerLayout layout, JavaCommand java, Duration timeout) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(layout.dir())) {
            return out;
        }
        List<Path> pids;
        try (Stream<Path> s = Files.list(layout.dir())) {
            pids = s.filter(p -> p.getFileName().toString().endsWith(".pid") && !p.equals(layout.supervisorPid())).toList();
        }
        for (Path p : pids) {
            long pid = readPid(p);
            String name = p.getFileName().toString().replaceFirst("\\.pid$", "");
            if (pid > 0 && java.ours(pid)) {
                out.add(name + " (pid " + pid + "): " + end(pid, timeout));
            }
            Files.deleteIfExists(p);
        }
        return out;
    }

    /** SIGTERM, wait up to {@code timeout}, then SIGKILL ({@link ProcessStop}); says which it took. */
    static String end(long pid, Duration timeout) {
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h == null) {
            return "gone";
        }
        return switch (ProcessStop.end(h, timeout)) {
            case GONE -> "gone";
            case TERMINATED -> "stopped (SIGTERM)";
            case KILLED -> "killed (SIGKILL after " + timeout.toSeconds() + " s)";
            case UNKILLABLE -> "still running " + ProcessStop.KILL_WAIT.toSeconds() + " s after SIGKILL (after "
                    + timeout.toSeconds() + " s)";
        };
    }

    /** The pid in a pid file, 0 when there is none or it is unreadable. */
    static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}

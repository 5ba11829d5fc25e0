package org.pnnedge.fleet.supervise;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import org.pnnedge.fleet.supervise.ControllerState.Phase;
import org.pnnedge.runtime.io.AtomicFiles;
import org.pnnedge.runtime.io.ProcessStop;
import org.pnnedge.runtime.io.Processes;
import org.tinylog.Logger;

/**
 * One supervised child: starts its JVM (output appended to its log, pid file written), tells when it is ready (its
 * ready line in the log of this run, and for a URL an HTTP 200), notices its death and restarts it as the
 * {@link RestartPolicy} allows. Exit code 2 (usage or bad input) is not restarted: the same arguments would fail
 * again. Driven by the supervisor's loop only.
 */
final class ChildProcess {
    private static final int SCAN_MAX = 64 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ChildSpec spec;
    private final ControllerLayout layout;
    private final JavaCommand java;
    private final RestartPolicy policy = new RestartPolicy();
    private Process process;
    private long scanFrom;
    private String readyUrl = "";
    private boolean readyLineSeen;
    private Phase phase = Phase.STARTING;
    private int restarts;
    private int lastExit = -1;
    private String why = "";
    private long restartAt;

    ChildProcess(ChildSpec spec, ControllerLayout layout, JavaCommand java) {
        this.spec = spec;
        this.layout = layout;
        this.java = java;
    }

    String name() {
        return spec.name();
    }

    void start() throws IOException {
        Path log = ControllerLayout.privateLog(layout.log(spec.name()));
        Files.writeString(log, "---- " + Instant.now() + " supervisor: starting " + spec.name()
                + (restarts > 0 ? " (restart " + restarts + ")" : "") + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        scanFrom = Files.size(log);
        ProcessBuilder pb = new ProcessBuilder(java.command(spec.jvmOptions(), spec.args()))
                .directory(layout.dir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        AtomicFiles.write(layout.pidFile(spec.name()), (process.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        phase = Phase.STARTING;
        readyLineSeen = false;
        readyUrl = "";
    }

    /** One look at the child; returns whether its state changed (so the supervisor rewrites status.json). */
    boolean poll(long nowNanos) throws IOException {
        switch (phase) {
            case FAILED, STOPPED -> {
                return false;
            }
            case BACKOFF -> {
                if (nowNanos - restartAt < 0) {
                    return false;
                }
                restarts++;
                start();
                Logger.info("controller: restarted {} (restart {}), pid {}", spec.name(), restarts, process.pid());
                return true;
            }
            default -> {
                if (!process.isAlive()) {
                    died(nowNanos);
                    return true;
                }
                return phase == Phase.STARTING && ready();
            }
        }
    }

    private void died(long nowNanos) throws IOException {
        lastExit = process.exitValue();
        String last = lastLine(layout.log(spec.name()));
        OptionalLong at = lastExit == 2 ? OptionalLong.empty() : policy.died(nowNanos);
        if (at.isPresent()) {
            phase = Phase.BACKOFF;
            restartAt = at.getAsLong();
            why = "pid " + process.pid() + " exited with code " + lastExit + "; last line of " + spec.name() + ".log: " + last;
            Logger.warn("controller: {} died ({}); restarting in {} ms", spec.name(), why,
                    (restartAt - nowNanos) / 1_000_000);
        } else {
            phase = Phase.FAILED;
            why = "pid " + process.pid() + " exited with code " + lastExit + (lastExit == 2 ? " (bad input: not restarted)"
                    : " (" + policy.recentDeaths() + " deaths within a minute: not restarted again)")
                    + "; last line of " + spec.name() + ".log: " + last;
            Logger.error("controller: {} failed: {}", spec.name(), why);
        }
        Files.deleteIfExists(layout.pidFile(spec.name()));
    }

    /** Its ready line in this run's part of the log, then (for a URL) an HTTP 200 from it. */
    private boolean ready() throws IOException {
        if (!readyLineSeen) {
            scanForReadyLine();
        }
        if (!readyLineSeen) {
            return false;
        }
        if (!readyUrl.isEmpty() && !answers(readyUrl)) {
            return false;
        }
        phase = Phase.READY;
        Logger.info("controller: {} ready, pid {}{}", spec.name(), process.pid(), readyUrl.isEmpty() ? "" : " " + readyUrl);
        return true;
    }

    private void scanForReadyLine() throws IOException {
        Path log = layout.log(spec.name());
        long size = Files.size(log);
        if (size < scanFrom) {
            scanFrom = 0; // rotated
        }
        if (size == scanFrom) {
            return;
        }
        byte[] b = new byte[(int) Math.min(SCAN_MAX, size - scanFrom)];
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(scanFrom);
            f.readFully(b);
        }
        String text = new String(b, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            if (b.length == SCAN_MAX) {
                scanFrom += b.length; // one line longer than the window: skip it
            }
            return;
        }
        scanFrom += text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
        for (String line : text.substring(0, end).split("\n")) {
            if (spec.ready().matcher(line).find()) {
                readyLineSeen = true;
                int h = line.indexOf("http://");
                readyUrl = h < 0 ? "" : line.substring(h).split("\\s")[0];
                return;
            }
        }
    }

    private static boolean answers(String url) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Copies the log to {@code .1} and truncates it beyond {@link ControllerLayout#MAX_LOG_BYTES} (it is appended to). */
    void rotateLog() throws IOException {
        Path log = layout.log(spec.name());
        if (Files.exists(log) && Files.size(log) > ControllerLayout.MAX_LOG_BYTES) {
            Files.copy(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            scanFrom = 0;
        }
    }

    /**
     * Its current process, for the supervisor to end ({@link ProcessStop}: the SIGTERM first lets it close its
     * sessions and commit what it holds).
     */
    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean alive() {
        return process != null && Processes.running(process.toHandle());
    }

    void stopped() throws IOException {
        if (process != null && !alive()) {
            Files.deleteIfExists(layout.pidFile(spec.name()));
        }
        phase = Phase.STOPPED;
    }

    ControllerState.Child state() {
        return new ControllerState.Child(spec.name(), process == null ? 0 : process.pid(), phase, restarts, readyUrl,
                lastExit, why);
    }

    /** The last non-blank line of a log ("(empty)" when there is none). */
    static String lastLine(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            byte[] b = new byte[(int) Math.min(4096, len)];
            f.seek(len - b.length);
            f.readFully(b);
            String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank()) {
                    return lines[i].strip();
                }
            }
            return "(empty)";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Debian ejabberd package, driven without {@code ejabberdctl}: that script switches to the ejabberd user with
 * {@code su}, whose PAM session drops the open-file limit to 1024 (measured: nodes fell over at 10,000 devices), and
 * it knows only the system node in /etc. Each node here is {@code erl -sname <node> -s ejabberd} with its own
 * configuration, spool and log paths in the environment, started through {@code setsid} (own session),
 * {@code prlimit} (open files = the hard limit) and, when we are root, {@code setpriv} to the ejabberd system user
 * (no PAM, so the limit stays). Control calls ({@code join_cluster}, registrations, status) go through a hidden
 * Erlang node that reads its calls from stdin, so no password appears on a command line.
 *
 * @param erl    the {@code erl} launcher
 * @param libDir the directory holding {@code ejabberd-<version>/} (ERL_LIBS)
 * @param version the ejabberd version from that directory's name
 * @param runAs  the system user the nodes run as when we are root (the package's {@code ejabberd}); empty = us
 */
record Ejabberd(Path erl, Path libDir, String version, Optional<String> runAs) {
    private static final String RPC_MARK = "pnnrpc ";

    /** The installation, or empty when ejabberd or Erlang is missing. */
    static Optional<Ejabberd> find() {
        Path erl = Path.of("/usr/bin/erl");
        if (!Files.isExecutable(erl)) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> archs = Files.list(Path.of("/usr/lib"))) {
            for (Path arch : archs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> dirs = Files.list(arch)) {
                    dirs.filter(d -> d.getFileName().toString().startsWith("ejabberd-")
                            && Files.isRegularFile(d.resolve("ebin/ejabberd.beam"))).forEach(candidates::add);
                } catch (IOException e) {
                    // unreadable directory: not where ejabberd is
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return candidates.stream().sorted().reduce((a, b) -> b).map(d -> new Ejabberd(erl, d.getParent(),
                d.getFileName().toString().substring("ejabberd-".length()), SystemUser.whenRoot("ejabberd")));
    }

    /** The open-file hard limit of this process (children inherit it; raising it further needs CAP_SYS_RESOURCE). */
    static long openFileHardLimit() {
        return ProcInfo.openFiles(Path.of("/proc/self/limits"))[1];
    }

    /** Starts node {@code i} in the background; stdout and stderr (boot failures) go to its {@code console.log}. */
    Process start(ClusterLayout layout, int i) throws IOException {
        Path dir = layout.nodeDir(i);
        long nofile = openFileHardLimit();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setsid"));
        if (Files.isExecutable(Path.of("/usr/bin/prlimit")) && nofile > 0) {
            cmd.addAll(List.of("/usr/bin/prlimit", "--nofile=" + nofile + ":" + nofile));
        }
        cmd.addAll(asUser());
        cmd.addAll(List.of(erl.toString(), "-sname", layout.nodeName(i), "-noinput", "+K", "true", "+P", "250000"));
        cmd.addAll(loopbackOnly());
        cmd.addAll(List.of("-mnesia", "dir", "\"" + dir.resolve("spool") + "\"", "-ejabberd", "quiet", "true",
                "-s", "ejabberd"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()));
        Map<String, String> env = environment(layout, pb.environment());
        env.put("EJABBERD_CONFIG_PATH", dir.resolve("ejabberd.yml").toString());
        env.put("EJABBERD_LOG_PATH", dir.resolve("log/ejabberd.log").toString());
        env.put("EJABBERD_PID_PATH", dir.resolve("ejabberd.pid").toString());
        env.put("ERL_CRASH_DUMP", dir.resolve("log/erl_crash.dump").toString());
        env.put("ERL_MAX_PORTS", Long.toString(Math.max(1024, Math.min(nofile, 262_144))));
        return pb.start();
    }

    /**
     * Runs remote calls ({@link Erl#call}) in order from one hidden control node and returns each result as Erlang
     * prints it ({@code ok}, {@code {badrpc,nodedown}}, ...).
     */
    List<String> call(ClusterLayout layout, List<String> calls, Duration timeout) throws IOException {
        String ctl = "pnnctl" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()) + "@" + ClusterLayout.HOST;
        List<String> cmd = new ArrayList<>(asUser());
        cmd.addAll(List.of(erl.toString(), "-sname", ctl, "-hidden", "-noshell"));
        cmd.addAll(loopbackOnly());
        cmd.addAll(List.of("-eval", "{ok, Cs} = io:read(''), lists:foreach(fun({N, M, F, A, T}) -> "
                + "io:format(\"" + RPC_MARK + "~w~n\", [catch rpc:call(N, M, F, A, T)]) end, Cs), halt(0)."));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(layout.homeDir().toFile()).redirectErrorStream(true);
        environment(layout, pb.environment());
        Path output = Files.createTempFile("pnn-fleet-ctl", ".out");
        pb.redirectOutput(output.toFile());
        String text;
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((Erl.list(calls) + ".\n").getBytes(StandardCharsets.US_ASCII));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("ejabberd control call timed out after " + timeout.toSeconds() + " s");
            }
            text = Files.readString(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during an ejabberd control call", e);
        } finally {
            Files.deleteIfExists(output);
        }
        List<String> results = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(RPC_MARK)) {
                results.add(line.substring(RPC_MARK.length()).strip());
            }
        }
        if (results.size() != calls.size()) {
            throw new IOException("ejabberd control node failed: " + text.strip());
        }
        return results;
    }

    /** Gives the nodes' files to the user they run as (when we are root); a no-op otherwise. */
    void chown(Path... paths) throws IOException {
        if (runAs.isEmpty()) {
            return;
        }
        var lookup = paths[0].getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(runAs.get());
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(runAs.get());
        for (Path root : paths) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.toList()) {
                    PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                    v.setOwner(user);
                    v.setGroup(group);
                }
            }
        }
    }

    private List<String> asUser() {
        return SystemUser.prefix(runAs);
    }

    /** Erlang distribution and epmd on 127.0.0.1 only: the cookie is the only guard of a node, keep it off the net. */
    private static List<String> loopbackOnly() {
        return List.of("-kernel", "inet_dist_use_interface", "{127,0,0,1}");
    }

    private Map<String, String> environment(ClusterLayout layout, Map<String, String> env) {
        env.put("HOME", layout.homeDir().toString());
        env.put("ERL_LIBS", libDir.toString());
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        return env;
    }
}

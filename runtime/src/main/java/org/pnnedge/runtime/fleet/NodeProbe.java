package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.pnnedge.runtime.io.Processes;

/**
 * Looks at the nodes: pid files and /proc (running?), one control call per node (answering? which cluster members
 * does it see?), the MQTT port (accepting?), the logs (why not?).
 */
final class NodeProbe {
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Pattern NODE = Pattern.compile("[a-z][a-z0-9]*@" + ClusterLayout.HOST);
    private final ClusterLayout layout;
    private final Ejabberd ejabberd;

    NodeProbe(ClusterLayout layout, Ejabberd ejabberd) {
        this.layout = layout;
        this.ejabberd = ejabberd;
    }

    /** Per node: running, answering, cluster membership, clients, memory, open-file limit, and what is wrong. */
    ClusterStatus status() throws IOException {
        List<String> calls = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            calls.add(Erl.call(layout.nodeName(i), "ejabberd_cluster", "get_nodes", List.of(), 5_000));
        }
        for (int i = 1; i <= layout.nodes(); i++) {
            calls.add(Erl.call(layout.nodeName(i), "mnesia", "table_info", List.of("mqtt_session", "size"), 5_000));
        }
        List<String> r;
        String ctlProblem = "";
        boolean anyAlive = false;
        for (int i = 1; i <= layout.nodes(); i++) {
            anyAlive |= alive(pid(i));
        }
        if (anyAlive) {
            try {
                r = ejabberd.call(layout, calls, CALL);
            } catch (IOException e) {
                ctlProblem = e.getMessage();
                r = calls.stream().map(c -> "{badrpc,control_node_failed}").toList();
            }
        } else {
            r = calls.stream().map(c -> "{badrpc,nodedown}").toList();
        }
        List<List<String>> members = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            List<String> m = new ArrayList<>();
            Matcher x = NODE.matcher(r.get(i - 1).startsWith("[") ? r.get(i - 1) : "");
            while (x.find()) {
                m.add(x.group());
            }
            members.add(m);
        }
        int sessions = -1;
        for (int i = 1; i <= layout.nodes() && sessions < 0; i++) {
            String s = r.get(layout.nodes() + i - 1);
            sessions = s.matches("\\d+") ? Integer.parseInt(s) : -1;
        }
        List<String> answering = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            if (!members.get(i - 1).isEmpty()) {
                answering.add(layout.nodeName(i));
            }
        }
        List<ClusterStatus.Node> nodes = new ArrayList<>();
        for (int i = 1; i <= layout.nodes(); i++) {
            long pid = pid(i);
            String problem = problem(i, pid, r.get(i - 1), members.get(i - 1), answering, ctlProblem);
            boolean running = alive(pid);
            nodes.add(new ClusterStatus.Node(i, layout.nodeName(i), layout.mqttPort(i), layout.tlsPort(i),
                    problem.isEmpty(), problem, pid, members.get(i - 1),
                    running ? ProcInfo.established(List.of(layout.mqttPort(i), layout.tlsPort(i))) : 0,
                    running ? ProcInfo.rssKib(pid) : -1, running ? ProcInfo.openFiles(pid)[0] : -1));
        }
        return new ClusterStatus(nodes, sessions);
    }

    private String problem(int i, long pid, String answer, List<String> members, List<String> answering, String ctl) {
        if (pid < 0) {
            return "not running (no pid file in " + layout.nodeDir(i) + "; start it with 'pnn fleet cluster up')";
        }
        if (!alive(pid)) {
            return "process " + pid + " is gone (stopped, killed or crashed)" + lastLog(i);
        }
        if (members.isEmpty()) {
            return "process " + pid + " runs but does not answer over Erlang distribution (" + answer + ")"
                    + (ctl.isEmpty() ? "" : "; " + ctl) + lastLog(i);
        }
        List<String> missing = answering.stream().filter(a -> !members.contains(a)).toList();
        if (!missing.isEmpty()) {
            return "not in one cluster with " + missing + " (it sees " + members + ")";
        }
        if (!accepting(layout.mqttPort(i))) {
            return "MQTT port " + layout.mqttPort(i) + " does not accept connections" + lastLog(i);
        }
        return "";
    }

    /** The ejabberd pid file, else the pid of the process we started, else -1. */
    long pid(int i) {
        for (String f : List.of("ejabberd.pid", "os.pid")) {
            try {
                return Long.parseLong(Files.readString(layout.nodeDir(i).resolve(f)).strip());
            } catch (IOException | NumberFormatException e) {
                // next
            }
        }
        return -1;
    }

    /** Running, and not a zombie (a killed node whose parent, e.g. the shell's init, has not reaped it yet). */
    static boolean alive(long pid) {
        return Processes.running(pid);
    }

    /** "; last log line: ..." from error.log, else console.log; empty when there is none. */
    String lastLog(int i) {
        for (Path f : List.of(layout.nodeDir(i).resolve("log/error.log"), layout.nodeDir(i).resolve("console.log"))) {
            try {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
                if (!lines.isEmpty()) {
                    String l = lines.get(lines.size() - 1).strip();
                    return "; last line of " + f.getFileName() + ": " + (l.length() > 300 ? l.substring(0, 300) + "…" : l);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // none
            }
        }
        return "";
    }

    static boolean accepting(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

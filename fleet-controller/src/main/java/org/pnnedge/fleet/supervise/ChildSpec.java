package org.pnnedge.fleet.supervise;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One controller process the supervisor runs: {@code java <jvmOptions> -cp <class path> <main> <args>}.
 *
 * @param name        its name, also of its pid file and log ({@code ingest-0}, {@code serve}, {@code dispatch-lab})
 * @param args        the arguments of the main class (no secret: the children read {@code accounts.json} and the
 *                    database's password file from the state directory themselves)
 * @param jvmOptions  extra JVM options of this child (heap bound)
 * @param ready       the child is ready once a line of its log (of this run) matches this (anywhere in the line);
 *                    when that line holds an {@code http://} URL, only once that URL also answers HTTP 200
 */
public record ChildSpec(String name, List<String> args, List<String> jvmOptions, Pattern ready) {
    public ChildSpec {
        if (!name.matches("[a-z0-9][a-z0-9_.-]{0,80}")) {
            throw new IllegalArgumentException("bad-option: '" + name + "' cannot name a controller process");
        }
        args = List.copyOf(args);
        jvmOptions = List.copyOf(jvmOptions);
    }
}

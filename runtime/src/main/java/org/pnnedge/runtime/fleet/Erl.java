package org.pnnedge.runtime.fleet;

import java.util.List;
import java.util.stream.Collectors;

/** Erlang term text for the remote calls: binaries, atoms, lists, tuples; what {@code io:read/1} parses back. */
final class Erl {
    private Erl() {
    }

    static String bin(String s) {
        return "<<\"" + escape(s, '"') + "\">>";
    }

    static String atom(String s) {
        return "'" + escape(s, '\'') + "'";
    }

    static String list(List<String> terms) {
        return terms.stream().collect(Collectors.joining(",", "[", "]"));
    }

    static String tuple(String... terms) {
        return String.join(",", terms).transform(t -> "{" + t + "}");
    }

    /** {@code {Node, Module, Function, Args, TimeoutMs}}: one remote call. */
    static String call(String node, String module, String function, List<String> args, long timeoutMs) {
        return tuple(atom(node), atom(module), atom(function), list(args), Long.toString(timeoutMs));
    }

    private static String escape(String s, char quote) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == quote) {
                b.append('\\');
            }
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("only printable ASCII in Erlang terms here, got " + (int) c);
            }
            b.append(c);
        }
        return b.toString();
    }
}

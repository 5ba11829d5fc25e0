package org.pnnedge.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/** Parses code lists such as {@code 100,200,300} or {@code 2048*32} or {@code 0,4095*3,17}. */
final class Codes {
    private Codes() {
    }

    static int[] parse(String what, String text) {
        List<Integer> list = new ArrayList<>();
        for (String token : text.split(",")) {
            String t = token.trim();
            if (t.isEmpty()) {
                throw new CliException(what + ": empty element in '" + text + "'");
            }
            int star = t.indexOf('*');
            String value = star < 0 ? t : t.substring(0, star);
            int count = 1;
            if (star >= 0) {
                count = number(what, t.substring(star + 1), text);
                if (count < 1 || count > 65535) {
                    throw new CliException(what + ": repeat count " + count + " outside 1..65535 in '" + t + "'");
                }
            }
            int v = number(what, value, text);
            if (v < 0 || v > 0xFFFF) {
                throw new CliException(what + ": code " + v + " outside 0..65535");
            }
            for (int i = 0; i < count; i++) {
                list.add(v);
            }
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int number(String what, String s, String text) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new CliException(what + ": '" + s + "' is not an integer (in '" + text + "')");
        }
    }
}

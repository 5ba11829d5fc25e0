package org.pnnedge.models.data;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Talker groups of Hillenbrand et al. (1995), keyed by the first character of a vowdata.dat file name. */
public enum TalkerGroup {
    MEN('m', 131), WOMEN('w', 220), BOYS('b', 237), GIRLS('g', 228);

    /** Typical F0 (Hz) of the group, close to Hillenbrand et al. (1995) group means (the synthesizer's voices). */
    public double typicalF0Hz() {
        return typicalF0Hz;
    }

    /** The paper's "children" are boys and girls together. */
    public static final Set<TalkerGroup> CHILDREN = Collections.unmodifiableSet(EnumSet.of(BOYS, GIRLS));
    public static final Set<TalkerGroup> ALL = Collections.unmodifiableSet(EnumSet.allOf(TalkerGroup.class));

    private final char prefix;
    private final double typicalF0Hz;

    TalkerGroup(char prefix, double typicalF0Hz) {
        this.typicalF0Hz = typicalF0Hz;
        this.prefix = prefix;
    }

    /** The file-name prefix: m, w, b or g. */
    public char prefix() {
        return prefix;
    }

    public static TalkerGroup fromPrefix(char c) {
        for (TalkerGroup g : values()) {
            if (g.prefix == Character.toLowerCase(c)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown talker group prefix '" + c + "' (expected m, w, b or g)");
    }

    /**
     * Parses a comma-separated list of group names: men, women, boys, girls, children (= boys+girls), all;
     * singular forms and m/w/b/g are accepted too.
     */
    public static Set<TalkerGroup> parse(String spec) {
        EnumSet<TalkerGroup> out = EnumSet.noneOf(TalkerGroup.class);
        for (String part : spec.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            switch (p) {
                case "men", "man", "m" -> out.add(MEN);
                case "women", "woman", "w" -> out.add(WOMEN);
                case "boys", "boy", "b" -> out.add(BOYS);
                case "girls", "girl", "g" -> out.add(GIRLS);
                case "children", "child", "kids" -> out.addAll(CHILDREN);
                case "all" -> out.addAll(ALL);
                default -> throw new IllegalArgumentException("unknown talker group '" + part.trim()
                        + "' (expected men, women, boys, girls, children or all)");
            }
        }
        return out;
    }
}

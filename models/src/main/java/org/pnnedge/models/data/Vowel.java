package org.pnnedge.models.data;

import java.util.List;
import java.util.Locale;

/**
 * The 12 vowels of Hillenbrand, Getty, Clark &amp; Wheeler (1995), by the two-letter codes of vowdata.dat,
 * each recorded in an /hVd/ word.
 */
public enum Vowel {
    AE("ae", "had"), AH("ah", "hod"), AW("aw", "hawed"), EH("eh", "head"), ER("er", "heard"), EI("ei", "hayed"),
    IH("ih", "hid"), IY("iy", "heed"), OA("oa", "hoed"), OO("oo", "hood"), UH("uh", "hud"), UW("uw", "who'd");

    /**
     * The 7-vowel task of the Physics-Aware Training reference code, in its label order
     * ({@code 0 ae, 1 ah, 2 aw, 3 uw, 4 er, 5 iy, 6 ih}).
     */
    public static final List<Vowel> PAT_7 = List.of(AE, AH, AW, UW, ER, IY, IH);

    /** The PAT 7-vowel label names, as codes, in label order. */
    public static final List<String> PAT_7_CODES = codes(PAT_7);

    /**
     * All 12 vowels of the corpus, the 12-vowel task's label order (Hillenbrand's codes in the order of
     * vowdata.dat's columns: {@code 0 ae, 1 ah, 2 aw, 3 eh, 4 er, 5 ei, 6 ih, 7 iy, 8 oa, 9 oo, 10 uh, 11 uw}).
     */
    public static final List<Vowel> ALL_12 = List.of(values());

    private final String code;
    private final String word;

    Vowel(String code, String word) {
        this.code = code;
        this.word = word;
    }

    /** Two-letter Hillenbrand code, e.g. {@code iy}. */
    public String code() {
        return code;
    }

    /** The /hVd/ word the vowel was recorded in, e.g. {@code heed}. */
    public String word() {
        return word;
    }

    /** Looks a vowel up by its code (case-insensitive) or enum name. */
    public static Vowel fromCode(String code) {
        String c = code.trim().toLowerCase(Locale.ROOT);
        for (Vowel v : values()) {
            if (v.code.equals(c)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown vowel code '" + code + "' (known: " + codes(List.of(values())) + ")");
    }

    public static List<String> codes(List<Vowel> vowels) {
        return vowels.stream().map(Vowel::code).toList();
    }
}

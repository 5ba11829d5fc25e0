package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SyntheticVowelsTest {

    @Test
    void deterministicForASeed() {
        SyntheticVowels.Builder b = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(20);
        Dataset a = b.seed(7).build();
        assertEquals(a.contentHash(), b.seed(7).build().contentHash());
        assertNotEquals(a.contentHash(), b.seed(8).build().contentHash());
        // a talker's tokens do not depend on how many talkers are generated after it
        Dataset fewer = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(3).seed(7).build();
        assertEquals(fewer, a.subset(java.util.stream.IntStream.range(0, 21).toArray()));
    }

    @Test
    void layoutMatchesTheReader() {
        SyntheticVowels.Generated g = SyntheticVowels.builder().groups(TalkerGroup.CHILDREN)
                .vowelCodes("iy", "ae").talkers(4).tokensPerTalker(3).seed(1).generate();
        Dataset d = g.dataset();
        assertEquals(2 * 4 * 2 * 3, d.size());
        assertEquals(HillenbrandReader.FEATURE_NAMES, d.featureNames());
        assertEquals(List.of("iy", "ae"), d.labelNames());
        assertEquals("b001", g.talkerIds().get(0));
        assertEquals("g004", g.talkerIds().get(d.size() - 1));
        for (double[] row : d.features()) {
            for (double v : row) {
                assertTrue(v > 100 && v < 5000, "plausible formant " + v);
            }
            assertTrue(row[0] < row[1] && row[1] < row[2], "F1 < F2 < F3");
        }
    }

    @Test
    void meansMatchTheEmbeddedConstants() {
        for (TalkerGroup group : TalkerGroup.values()) {
            Dataset d = SyntheticVowels.builder().groups(group).talkers(2000).seed(11).build();
            double[][] sum = new double[12][12];
            int[] n = d.classCounts();
            for (int i = 0; i < d.size(); i++) {
                for (int j = 0; j < 12; j++) {
                    sum[d.labels()[i]][j] += d.features()[i][j];
                }
            }
            for (Vowel v : Vowel.values()) {
                double[] expected = SyntheticVowels.meanHz(group, v);
                for (int j = 0; j < 12; j++) {
                    double mean = sum[v.ordinal()][j] / n[v.ordinal()];
                    // SE of the mean is about 0.1 % (SD <= 25 %, 2000 talkers); 1 % is generous yet meaningful
                    assertEquals(expected[j], mean, 0.01 * expected[j], group + " " + v + " feature " + j);
                }
            }
        }
    }

    @Test
    void trajectoriesFollowThePaper() {
        // /ei/ diphthongizes (F1 falls, F2 rises); /oa/ F1 falls; /uh/ and /oo/ F2 rises by the 80 % point
        for (TalkerGroup g : TalkerGroup.values()) {
            double[] ei = SyntheticVowels.meanHz(g, Vowel.EI);
            assertTrue(ei[9] < ei[3] && ei[10] > ei[4], g + " ei");
            double[] oa = SyntheticVowels.meanHz(g, Vowel.OA);
            assertTrue(oa[9] < oa[3], g + " oa");
            assertTrue(SyntheticVowels.meanHz(g, Vowel.OO)[10] > SyntheticVowels.meanHz(g, Vowel.OO)[4], g + " oo");
        }
    }

    @Test
    void talkersAreCorrelatedAcrossVowels() {
        double with = halfSplitTalkerCorrelation(true);
        double without = halfSplitTalkerCorrelation(false);
        assertTrue(with > 0.5, "a talker's scale shows in all vowels: r=" + with);
        assertTrue(Math.abs(without) < 0.2, "no talker factor, no correlation: r=" + without);
    }

    /**
     * Per talker, the mean log deviation from the vowel means over vowels ae..ei and over ih..uw; the correlation of
     * the two across talkers (the within-talker formant ratios agree between disjoint sets of vowels).
     */
    private static double halfSplitTalkerCorrelation(boolean talkerVariation) {
        SyntheticVowels.Generated g = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).talkers(300).seed(5)
                .talkerVariation(talkerVariation).generate();
        Dataset d = g.dataset();
        Map<String, double[]> perTalker = new LinkedHashMap<>();
        for (int i = 0; i < d.size(); i++) {
            double[] mean = SyntheticVowels.meanHz(TalkerGroup.WOMEN, Vowel.values()[d.labels()[i]]);
            double dev = 0;
            for (int j = 0; j < 12; j++) {
                dev += Math.log(d.features()[i][j] / mean[j]) / 12;
            }
            double[] s = perTalker.computeIfAbsent(g.talkerIds().get(i), k -> new double[2]);
            s[d.labels()[i] < 6 ? 0 : 1] += dev / 6;
        }
        List<double[]> pairs = new ArrayList<>(perTalker.values());
        double ma = pairs.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double mb = pairs.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (double[] p : pairs) {
            sab += (p[0] - ma) * (p[1] - mb);
            saa += (p[0] - ma) * (p[0] - ma);
            sbb += (p[1] - mb) * (p[1] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void syntheticVowelsAreLearnable() {
        Dataset train = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(60).seed(1).build();
        Dataset test = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(60).seed(2).build();
        double acc = VowelClassifiers.accuracy(VowelClassifiers.gaussian(train), test);
        assertTrue(acc > 0.9, "7 women's vowels are well separated, as in the real data: " + acc);
    }
}

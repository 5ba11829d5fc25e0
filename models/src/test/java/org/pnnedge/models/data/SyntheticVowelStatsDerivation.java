package org.pnnedge.models.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Derives the statistics embedded in {@link SyntheticVowels} from {@code vowdata.dat}, exactly as its class
 * comment describes. Used (1) by {@code EmbeddedStatsTest} to check the embedded constants against the data and
 * (2) by {@link VowelValidation} to fit the model on some talkers and test on the others. {@link #main} prints
 * the constants as Java source:
 * <pre>
 * mvn -q -pl models -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.pnnedge.models.data.SyntheticVowelStatsDerivation
 * </pre>
 */
final class SyntheticVowelStatsDerivation {
    private static final int D = SyntheticVowels.NUM_FEATURES;
    private static final int G = TalkerGroup.values().length;
    private static final int V = Vowel.values().length;

    private SyntheticVowelStatsDerivation() {
    }

    /** All complete tokens of all groups, labels = {@link Vowel} ordinals. */
    static HillenbrandReader.Reading readAll(Path vowdata) {
        return HillenbrandReader.readDetailed(vowdata, HillenbrandReader.Selection.all());
    }

    /** Derives the statistics from the tokens of the talkers accepted by {@code talkers} (ids like "w03"). */
    static SyntheticVowels.Stats derive(HillenbrandReader.Reading all, Predicate<String> talkers) {
        double[] talkerSd = new double[G];
        double[][][] meanHz = new double[G][V][D];
        double[][][] tokenSd = new double[G][V][3];
        double[][] timeScale = new double[G][D];
        double[][][] corr = new double[G][][];
        Dataset ds = all.dataset();
        for (TalkerGroup g : TalkerGroup.values()) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < ds.size(); i++) {
                if (all.group(i) == g && talkers.test(all.talkerId(i))) {
                    rows.add(i);
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            int gi = g.ordinal();
            double[][] logMean = new double[V][D];
            int[] n = new int[V];
            for (int i : rows) {
                int v = ds.labels()[i];
                n[v]++;
                for (int j = 0; j < D; j++) {
                    logMean[v][j] += Math.log(ds.features()[i][j]);
                    meanHz[gi][v][j] += ds.features()[i][j];
                }
            }
            for (int v = 0; v < V; v++) {
                for (int j = 0; j < D; j++) {
                    logMean[v][j] /= n[v];
                    meanHz[gi][v][j] /= n[v];
                }
            }
            // talker factor: mean deviation from the vowel means over all of the talker's tokens and features
            Map<String, double[]> talkerSum = new LinkedHashMap<>(); // {sum, count}
            for (int i : rows) {
                double dev = 0;
                for (int j = 0; j < D; j++) {
                    dev += Math.log(ds.features()[i][j]) - logMean[ds.labels()[i]][j];
                }
                double[] s = talkerSum.computeIfAbsent(all.talkerId(i), k -> new double[2]);
                s[0] += dev / D;
                s[1]++;
            }
            Map<String, Double> a = new LinkedHashMap<>();
            talkerSum.forEach((k, s) -> a.put(k, s[0] / s[1]));
            double[][] res = new double[rows.size()][D];
            for (int r = 0; r < rows.size(); r++) {
                int i = rows.get(r);
                for (int j = 0; j < D; j++) {
                    res[r][j] = Math.log(ds.features()[i][j]) - logMean[ds.labels()[i]][j] - a.get(all.talkerId(i));
                }
            }
            double[][] cov = covariance(res);
            double covSum = 0;
            for (double[] row : cov) {
                for (double c : row) {
                    covSum += c;
                }
            }
            double invN = 0;
            for (double[] s : talkerSum.values()) {
                invN += 1 / s[1];
            }
            invN /= talkerSum.size();
            double varA = variance(a.values().stream().mapToDouble(Double::doubleValue).toArray());
            talkerSd[gi] = Math.sqrt(Math.max(varA - covSum / (D * D) * invN, 0));
            for (int v = 0; v < V; v++) {
                List<double[]> rv = new ArrayList<>();
                for (int r = 0; r < rows.size(); r++) {
                    if (ds.labels()[rows.get(r)] == v) {
                        rv.add(res[r]);
                    }
                }
                for (int k = 0; k < 3; k++) {
                    final int kk = k;
                    tokenSd[gi][v][k] = Math.sqrt(variance(rv.stream().mapToDouble(x -> x[kk]).toArray()));
                }
            }
            for (int j = 0; j < D; j++) {
                timeScale[gi][j] = Math.sqrt(cov[j][j] / cov[j % 3][j % 3]);
            }
            corr[gi] = new double[D][D];
            for (int p = 0; p < D; p++) {
                for (int q = 0; q < D; q++) {
                    corr[gi][p][q] = cov[p][q] / Math.sqrt(cov[p][p] * cov[q][q]);
                }
            }
        }
        return new SyntheticVowels.Stats(talkerSd, meanHz, tokenSd, timeScale, corr);
    }

    /** Sample variance (n-1). */
    private static double variance(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v;
        }
        m /= x.length;
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }

    /** Sample covariance (n-1) of the columns. */
    private static double[][] covariance(double[][] x) {
        int d = x[0].length;
        double[] m = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                m[j] += r[j] / x.length;
            }
        }
        double[][] c = new double[d][d];
        for (double[] r : x) {
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    c[p][q] += (r[p] - m[p]) * (r[q] - m[q]) / (x.length - 1);
                }
            }
        }
        return c;
    }

    public static void main(String[] args) {
        Path vowdata = SharedData.hillenbrandFile();
        if (!Files.exists(vowdata)) {
            System.out.println(vowdata + " not found: nothing to derive");
            return;
        }
        SyntheticVowels.Stats s = derive(readAll(vowdata), t -> true);
        StringBuilder sb = new StringBuilder();
        sb.append("TALKER_LOG_SD = ").append(fmt(s.talkerLogSd(), "%.4f")).append('\n');
        for (TalkerGroup g : TalkerGroup.values()) {
            int gi = g.ordinal();
            sb.append("// ").append(g).append('\n');
            for (Vowel v : Vowel.values()) {
                sb.append("MEAN_HZ ").append(v.code()).append(' ')
                        .append(fmt(s.meanHz()[gi][v.ordinal()], "%.0f")).append("  TOKEN_LOG_SD ")
                        .append(fmt(s.tokenLogSd()[gi][v.ordinal()], "%.4f")).append('\n');
            }
            sb.append("TIME_SD_SCALE ").append(fmt(s.timeSdScale()[gi], "%.3f")).append('\n');
            for (double[] r : s.correlation()[gi]) {
                sb.append("CORRELATION ").append(fmt(r, "%.3f")).append('\n');
            }
        }
        System.out.print(sb);
    }

    private static String fmt(double[] x, String f) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < x.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, f, x[i]));
        }
        return sb.append('}').toString();
    }
}

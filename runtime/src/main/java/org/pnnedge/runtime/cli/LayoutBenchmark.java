package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pnnedge.models.bench.LayoutComparison;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;

/** {@code pnn benchmark layouts}: the feature layouts side by side with digital classifiers (LayoutComparison). */
final class LayoutBenchmark {
    private LayoutBenchmark() {
    }

    /**
     * @param train    raw measurements (`pnn data ... --units hz-f0`)
     * @param testSets NAME=CSV, raw measurements too
     * @param layouts  layout ids to compare (per-token layouts only), or null for all of them
     * @param talker   also the talker13 rows, from the files `pnn data ... --also-units talker13,talker13-running`
     *                 wrote beside each: trained on TRAIN-talker13.csv (G over each talker's tokens), tested on
     *                 TEST-talker13-running.csv (G from the talker's earlier words) and TEST-talker13.csv (G over all
     *                 of the talker's words, the test word and later ones included: a bound, not a deployable figure)
     */
    static int run(PrintWriter out, Path train, List<String> testSets, int seeds, List<String> layouts,
                   boolean talker) {
        if (train == null || testSets == null || testSets.isEmpty()) {
            throw new CliException("benchmark layouts needs --train RAW.csv and at least one --test-set NAME=RAW.csv "
                    + "(write them with `pnn data synth --heard --units hz-f0` or `pnn data hillenbrand --units hz-f0`)");
        }
        Map<String, Dataset> tests = new LinkedHashMap<>();
        Map<String, Path> testFiles = new LinkedHashMap<>();
        for (String s : testSets) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new CliException("--test-set must be NAME=CSV, got '" + s + "'");
            }
            tests.put(s.substring(0, eq), ModelData.load(Path.of(s.substring(eq + 1))));
            testFiles.put(s.substring(0, eq), Path.of(s.substring(eq + 1)));
        }
        Dataset tr = ModelData.load(train);
        List<LayoutComparison.Row> rows;
        try {
            List<FeatureLayout> which = layouts == null
                    ? Arrays.stream(FeatureLayout.values()).filter(FeatureLayout::perToken).toList()
                    : layouts.stream().map(String::trim).map(FeatureLayout::of).toList();
            for (FeatureLayout l : which) {
                if (!l.perToken()) {
                    throw new IllegalArgumentException("--layouts: " + l.id() + " needs a talker's other words; "
                            + "compare it with --talker-layout");
                }
            }
            rows = new java.util.ArrayList<>(new LayoutComparison(which, seeds).run(tr, tests));
            if (talker) {
                LayoutComparison c = new LayoutComparison(List.of(FeatureLayout.TALKER13), seeds);
                Dataset tt = ModelData.load(DataCommand.alsoOut(train, "talker13"));
                for (String variant : List.of("talker13-running", "talker13")) {
                    List<Dataset> ts = testFiles.values().stream()
                            .map(f -> ModelData.load(DataCommand.alsoOut(f, variant))).toList();
                    rows.addAll(c.classify(variant.equals("talker13") ? "talker13 (G over all the talker's words)"
                            : "talker13 (G from earlier words)", tt, ts));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        out.printf("trained on %s (%d tokens), z-scored per layout, mean of %d seed%s; accuracy on each test set:%n",
                train.getFileName(), tr.size(), seeds, seeds == 1 ? "" : "s");
        out.println("| layout | classifier | " + String.join(" | ", tests.keySet().stream()
                .map(k -> k + " (n=" + tests.get(k).size() + ")").toList()) + " |");
        out.println("|---|---|" + "---:|".repeat(tests.size()));
        for (LayoutComparison.Row r : rows) {
            StringBuilder b = new StringBuilder("| " + r.layout() + " | " + r.classifier() + " |");
            for (double a : r.accuracy()) {
                b.append(String.format(java.util.Locale.ROOT, " %.1f %% |", 100 * a));
            }
            out.println(b);
        }
        return 0;
    }
}

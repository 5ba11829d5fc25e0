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
     * @param layouts  layout ids to compare, or null for all
     */
    static int run(PrintWriter out, Path train, List<String> testSets, int seeds, List<String> layouts) {
        if (train == null || testSets == null || testSets.isEmpty()) {
            throw new CliException("benchmark layouts needs --train RAW.csv and at least one --test-set NAME=RAW.csv "
                    + "(write them with `pnn data synth --heard --units hz-f0` or `pnn data hillenbrand --units hz-f0`)");
        }
        Map<String, Dataset> tests = new LinkedHashMap<>();
        for (String s : testSets) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new CliException("--test-set must be NAME=CSV, got '" + s + "'");
            }
            tests.put(s.substring(0, eq), ModelData.load(Path.of(s.substring(eq + 1))));
        }
        Dataset tr = ModelData.load(train);
        List<LayoutComparison.Row> rows;
        try {
            List<FeatureLayout> which = layouts == null ? Arrays.asList(FeatureLayout.values())
                    : layouts.stream().map(String::trim).map(FeatureLayout::of).toList();
            rows = new LayoutComparison(which, seeds).run(tr, tests);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        out.printf("trained on %s (%d tokens), z-scored per layout, mean of %d seed%s; accuracy on each test set:%n",
                train.getFileName(), tr.size(), seeds, seeds == 1 ? "" : "s");
        out.println("| layout | classifier | " + String.join(" | ", tests.keySet().stream()
                .map(k -> k + " (n=" + tests.get(k).size() + ")").toList()) + " |");
        out.println("|---|---|" + "---:|".repeat(tests.size()));
        for (LayoutComparison.Row r : rows) {
            StringBuilder b = new StringBuilder("| " + r.layout().id() + " | " + r.classifier() + " |");
            for (double a : r.accuracy()) {
                b.append(String.format(java.util.Locale.ROOT, " %.1f %% |", 100 * a));
            }
            out.println(b);
        }
        return 0;
    }
}

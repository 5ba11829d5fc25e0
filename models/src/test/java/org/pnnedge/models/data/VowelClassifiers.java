package org.pnnedge.models.data;

import java.util.Arrays;

/**
 * Small self-contained classifiers for validating vowel data (no dependency on the nn package): both work on
 * z-scored log formants, the usual perceptual-ish scale for formant frequencies. Deterministic: fixed
 * initialization and iteration counts, {@link StrictMath} for exp/log, so accuracies are the same on every machine.
 */
final class VowelClassifiers {
    private VowelClassifiers() {
    }

    /** A trained classifier. */
    interface Classifier {
        int predict(double[] x);
    }

    /** Fraction of {@code test} rows classified correctly. */
    static double accuracy(Classifier c, Dataset test) {
        int ok = 0;
        for (int i = 0; i < test.size(); i++) {
            if (c.predict(test.features()[i]) == test.labels()[i]) {
                ok++;
            }
        }
        return test.size() == 0 ? Double.NaN : (double) ok / test.size();
    }

    /** ln of each feature, then z-scored with statistics of the training set. */
    private static final class LogZ {
        final double[] mean;
        final double[] sd;

        LogZ(Dataset train) {
            int d = train.numFeatures();
            mean = new double[d];
            sd = new double[d];
            for (double[] row : train.features()) {
                for (int j = 0; j < d; j++) {
                    mean[j] += StrictMath.log(row[j]);
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= train.size();
            }
            for (double[] row : train.features()) {
                for (int j = 0; j < d; j++) {
                    double e = StrictMath.log(row[j]) - mean[j];
                    sd[j] += e * e;
                }
            }
            for (int j = 0; j < d; j++) {
                sd[j] = Math.sqrt(sd[j] / train.size());
                if (sd[j] == 0) {
                    sd[j] = 1;
                }
            }
        }

        double[] apply(double[] x) {
            double[] z = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                z[j] = (StrictMath.log(x[j]) - mean[j]) / sd[j];
            }
            return z;
        }
    }

    /**
     * Multinomial logistic regression (softmax, linear in z-scored log formants) fitted by full-batch gradient
     * descent with momentum from zero weights; L2 penalty {@code l2} on the weights (not the biases).
     */
    static Classifier logisticRegression(Dataset train, int iterations, double learningRate, double l2) {
        LogZ t = new LogZ(train);
        int n = train.size();
        int d = train.numFeatures();
        int c = train.numClasses();
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = t.apply(train.features()[i]);
        }
        int[] y = train.labels();
        double[][] w = new double[c][d + 1]; // last column: bias
        double[][] v = new double[c][d + 1];
        double[][] g = new double[c][d + 1];
        double[] p = new double[c];
        for (int it = 0; it < iterations; it++) {
            for (double[] row : g) {
                Arrays.fill(row, 0);
            }
            for (int i = 0; i < n; i++) {
                softmax(w, x[i], p);
                p[y[i]] -= 1;
                for (int k = 0; k < c; k++) {
                    double e = p[k];
                    double[] gk = g[k];
                    for (int j = 0; j < d; j++) {
                        gk[j] += e * x[i][j];
                    }
                    gk[d] += e;
                }
            }
            for (int k = 0; k < c; k++) {
                for (int j = 0; j <= d; j++) {
                    double grad = g[k][j] / n + (j < d ? l2 * w[k][j] : 0);
                    v[k][j] = 0.9 * v[k][j] - learningRate * grad;
                    w[k][j] += v[k][j];
                }
            }
        }
        return xRaw -> {
            double[] z = t.apply(xRaw);
            double[] q = new double[c];
            softmax(w, z, q);
            return argmax(q);
        };
    }

    /** Defaults used in the validation report. */
    static Classifier logisticRegression(Dataset train) {
        return logisticRegression(train, 600, 0.5, 1e-4);
    }

    private static void softmax(double[][] w, double[] x, double[] out) {
        int d = x.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            double s = w[k][d];
            for (int j = 0; j < d; j++) {
                s += w[k][j] * x[j];
            }
            out[k] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            out[k] = StrictMath.exp(out[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < w.length; k++) {
            out[k] /= sum;
        }
    }

    private static int argmax(double[] a) {
        int best = 0;
        for (int k = 1; k < a.length; k++) {
            if (a[k] > a[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * Regularized quadratic discriminant analysis (Friedman 1989) on z-scored log formants: class covariance
     * {@code (1-λ)·S_k + λ·S_pooled}, equal priors. λ = 0.5 keeps it stable with ~20 tokens per class.
     */
    static Classifier gaussian(Dataset train, double lambda) {
        LogZ t = new LogZ(train);
        int d = train.numFeatures();
        int c = train.numClasses();
        int[] counts = train.classCounts();
        double[][] mean = new double[c][d];
        double[][][] cov = new double[c][d][d];
        double[][] pooled = new double[d][d];
        double[][] z = new double[train.size()][];
        for (int i = 0; i < z.length; i++) {
            z[i] = t.apply(train.features()[i]);
            int k = train.labels()[i];
            for (int j = 0; j < d; j++) {
                mean[k][j] += z[i][j] / counts[k];
            }
        }
        for (int i = 0; i < z.length; i++) {
            int k = train.labels()[i];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double e = (z[i][a] - mean[k][a]) * (z[i][b] - mean[k][b]);
                    cov[k][a][b] += e / Math.max(1, counts[k] - 1);
                    pooled[a][b] += e / Math.max(1, z.length - c);
                }
            }
        }
        double[][][] chol = new double[c][][];
        double[] logDet = new double[c];
        for (int k = 0; k < c; k++) {
            if (counts[k] == 0) {
                continue;
            }
            double[][] s = new double[d][d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    s[a][b] = (1 - lambda) * cov[k][a][b] + lambda * pooled[a][b] + (a == b ? 1e-6 : 0);
                }
            }
            chol[k] = SyntheticVowels.cholesky(s); // positive definite: the ridge above
            for (int a = 0; a < d; a++) {
                logDet[k] += 2 * StrictMath.log(chol[k][a][a]);
            }
        }
        return xRaw -> {
            double[] x = t.apply(xRaw);
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                if (chol[k] == null) {
                    continue;
                }
                double[] r = new double[d]; // solve L r = x - mean
                double q = 0;
                for (int a = 0; a < d; a++) {
                    double s = x[a] - mean[k][a];
                    for (int b = 0; b < a; b++) {
                        s -= chol[k][a][b] * r[b];
                    }
                    r[a] = s / chol[k][a][a];
                    q += r[a] * r[a];
                }
                double score = -0.5 * (q + logDet[k]);
                if (score > bestScore) {
                    bestScore = score;
                    best = k;
                }
            }
            return best;
        };
    }

    static Classifier gaussian(Dataset train) {
        return gaussian(train, 0.5);
    }
}

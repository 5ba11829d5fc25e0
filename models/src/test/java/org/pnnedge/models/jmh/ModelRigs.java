package org.pnnedge.models.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SharedData;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.TwinFitter;

/**
 * Shared setup of the models benchmarks (JMH classes and {@link ModelsWallClock}): the emulated device URIs,
 * the 210-sample vowel set and a fitted grey-box twin. Not a test (no JUnit), never run by {@code mvn verify}.
 */
public final class ModelRigs {
    /** In-process emulated SHG device that answers at once (the emulated clock still advances). */
    public static final String DEVICE_ZERO = "emulator:shg?seed=1&timing=zero";
    /** The same device making the host wait its modelled shot time (20 ms per shot for SHG). */
    public static final String DEVICE_REALISTIC = "emulator:shg?seed=1&timing=realistic";

    private ModelRigs() {
    }

    /** The 210-token 7-vowel training set and where it came from. */
    public record Vowels(Dataset zScored, Dataset raw, String source) {
    }

    /**
     * {@code ../shared/data/vowels/train.csv} (210 tokens, PAT normalisation) when present, else 210 synthetic
     * tokens (women, the PAT 7 vowels, 30 talkers, one token each, same normalisation); then z-scored the way
     * {@code pnn train} does.
     */
    public static Vowels vowels210() {
        Path csv = SharedData.vowelsTrainCsv();
        Dataset ds;
        String source;
        if (Files.isRegularFile(csv)) {
            ds = CsvDatasets.load(csv, Vowel.PAT_7_CODES);
            source = csv.toString();
        } else {
            Dataset hz = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(30).seed(1)
                    .build();
            ds = Normalization.patVowel7().apply(hz);
            source = "SyntheticVowels (women, PAT 7 vowels, 30 talkers x 1 token, seed 1)";
        }
        Normalization zn = Normalization.zScore(ds);
        return new Vowels(zn.apply(ds), ds, source);
    }

    /**
     * A grey-box twin fitted on {@code samples} fresh measurements of {@code link} for {@code epochs} epochs
     * (short fits are enough for timing: the cost of forward/VJP does not depend on calibration quality).
     */
    public static ShgTwin fittedShgTwin(DeviceLink link, int samples, int epochs, long seed) {
        Characterization c = Characterizer.of(samples, seed).measure(link, d -> { });
        TwinFitter f = new TwinFitter(epochs, 64, 1e-2, 0.1, seed, null);
        return (ShgTwin) f.fit(ShgTwin.initial(), c, false, p -> { }).twin();
    }

    /** {@code rows} vectors of {@code n} values uniform in [0.1, 0.9] (normalised codes). */
    public static double[][] uniformRows(SplittableRandom r, int rows, int n) {
        double[][] m = new double[rows][n];
        for (double[] row : m) {
            for (int i = 0; i < n; i++) {
                row[i] = 0.1 + 0.8 * r.nextDouble();
            }
        }
        return m;
    }
}

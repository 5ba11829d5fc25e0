package org.pnnedge.runtime.jmh;

import java.nio.file.Files;
import java.nio.file.Path;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;

/**
 * One inference of a talker13 hearing bundle on {@code emulator:shg?seed=1&timing=zero} (CPU work only):
 * {@link #classify} is {@code InferenceEngine.classify}; {@link #classifyHostOnly} the same engine on a
 * {@link ReplayLink} that replays, per layer, the outputs the device gave for the row in setup (the engine's host
 * work alone: encoding, any digital projection and readout, softmax, checks). {@code bundle}: {@code shipped} is
 * {@code src/dist/models/vowels7-talker13.pnnb}; {@code previous} the bundle at the path in the system property
 * {@value #PREVIOUS_PROPERTY} (bench/run-runtime.sh extracts the 1.0.0 one from git). Rows:
 * {@link RuntimeRigs#talker13Rows()}, cycled. Run with {@code -prof gc} (gc.alloc.rate.norm, target 0).
 */
public class HearingBenchmark extends EngineBench {
    /** System property: path of the bundle measured as {@code bundle=previous}. */
    static final String PREVIOUS_PROPERTY = "pnn.bench.previousHearingBundle";

    @Param({"shipped", "previous"})
    public String bundle;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path path = switch (bundle) {
            case "shipped" -> RuntimeRigs.root().resolve("src/dist/models/vowels7-talker13.pnnb");
            case "previous" -> {
                String p = System.getProperty(PREVIOUS_PROPERTY);
                if (p == null || !Files.isRegularFile(Path.of(p))) {
                    throw new IllegalStateException("bundle=previous needs -D" + PREVIOUS_PROPERTY
                            + "=<a .pnnb file> (bench/run-runtime.sh extracts the 1.0.0 hearing bundle from git); got "
                            + p);
                }
                yield Path.of(p);
            }
            default -> throw new IllegalArgumentException("bundle is shipped or previous, got " + bundle);
        };
        ModelBundle b = Bundles.load(path, TrustedKeys.load(RuntimeRigs.trustedKey()));
        if (!"talker13".equals(b.manifest().featureLayout())) {
            throw new IllegalStateException(path + " has feature layout " + b.manifest().featureLayout()
                    + ", not talker13");
        }
        open(b, RuntimeRigs.talker13Rows());
        System.out.printf("%n%s: %s %s, %d bytes, %d layers, %d shots per inference, %d talker13 rows%n", bundle,
                b.manifest().modelId(), b.manifest().version(), Files.size(path),
                engine.model().architecture().layers(), engine.shotsPerInference(), rows.length);
    }
}

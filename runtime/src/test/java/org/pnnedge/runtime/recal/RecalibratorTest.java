package org.pnnedge.runtime.recal;

import org.pnnedge.runtime.device.DeviceAccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.OutputCorrection;
import org.pnnedge.runtime.service.Prediction;

/**
 * Drift, then recalibration, on the emulated SHG device: the test ("drift then recalibration restores
 * accuracy on the emulated device"), the alarm path, persistence and the pause bound. Figures are printed.
 */
class RecalibratorTest {
    static ModelBundle bundle;
    static Dataset test;

    @BeforeAll
    static void load() throws Exception {
        bundle = RecalFixtures.defaultBundle();
        test = RecalFixtures.heldOut();
    }

    /** Ambient +10 K (22 → 32 °C) and 20 minutes: the device temperature follows with τ = 300 s. */
    static void warm(DeviceLink link) {
        link.lab().orElseThrow().setAmbientTemperature(32);
        link.lab().orElseThrow().advanceClock(1200);
    }

    static void print(String what, double before, double drifted, double recal, RecalReport r) {
        System.out.printf("%s: accuracy before drift %.3f, after drift %.3f, after recalibration %.3f "
                        + "(n=%d); probe error rms %.2f %% -> %.2f %% (cross-validated), twin NRMSE %.3f -> %.3f, "
                        + "recalibration %.3f s, pause %.4f s (max %.4f s, %d phases)%n", what, before, drifted, recal,
                test.size(), 100 * r.probeErrorBefore().rmsRelative(), 100 * r.probeErrorAfter().rmsRelative(),
                r.twinNrmseBefore(), r.twinNrmseAfter(), r.durationSeconds(), r.pauseSeconds(), r.maxPauseSeconds(),
                r.devicePhases());
    }

    @Test
    void defaultBundleDriftThenRecalibrationRestoresAccuracy() throws Exception {
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open(RecalFixtures.DEVICE);
            InferenceEngine engine = new InferenceEngine(link, bundle);
            double before = RecalFixtures.accuracy(engine, test);
            warm(link);
            double drifted = RecalFixtures.accuracy(engine, test);
            RecalOutcome o = new Recalibrator(RecalConfig.defaults(), null, null)
                    .run(DeviceAccess.unshared(link), bundle, engine.correction(), null);
            engine.setCorrection(o.correction());
            double recal = RecalFixtures.accuracy(engine, test);
            RecalReport r = o.report();
            print("default bundle (dark-referenced readout)", before, drifted, recal, r);
            System.out.println(r.toJson().toPrettyString());
            assertTrue(drifted < before - 0.15, "warming must hurt: " + before + " -> " + drifted);
            assertTrue(r.adopted() && r.validated() && !r.alarm(), r.reason());
            assertTrue(recal >= before - 0.03, "recalibration must restore accuracy: " + before + " -> " + recal);
            assertTrue(r.drift().uncorrected().rmsRelative() > 0.05, "the probes must see the drift");
            assertTrue(r.probeErrorAfter().rmsRelative() < 0.02);
            assertTrue(r.probeErrorAfter().withinTolerance() >= 0.9);
            assertTrue(r.twinNrmseAfter() < r.twinNrmseBefore() && r.twinUpdated());
            assertEquals(bundle.manifest().probes().size(), r.probes());
            assertEquals(256, r.freshShots());
            assertEquals(1 + bundle.manifest().probes().size() + 256 / 32, r.devicePhases(),
                    "dark, one phase per probe, one per fresh set");
            assertTrue(r.deviceTemperatureC() > 31, "sensor: " + r.deviceTemperatureC());
            assertNull(r.freshMeasurements());
            assertSame(o.candidate(), o.correction());
        }
    }

    @Test
    void affineReadoutBundleIsMoreSensitiveAndRecalibrationRestoresIt() throws Exception {
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open(RecalFixtures.DEVICE);
            long t0 = System.nanoTime();
            ModelBundle affine = RecalFixtures.trainAffineBundle(link, Recalibrator.bundleTwin(bundle), 60);
            System.out.printf("affine bundle trained in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            InferenceEngine dark = new InferenceEngine(link, bundle);
            double darkBefore = RecalFixtures.accuracy(dark, test);
            InferenceEngine engine = new InferenceEngine(link, affine);
            double before = RecalFixtures.accuracy(engine, test);
            // 20 minutes at constant temperature: only the laser power wanders (Ornstein-Uhlenbeck, 2 % rms)
            link.lab().orElseThrow().advanceClock(1200);
            dark.loadParameters();
            double darkLaser = RecalFixtures.accuracy(dark, test);
            engine.loadParameters();
            double laser = RecalFixtures.accuracy(engine, test);
            System.out.printf("laser drift alone (20 min at 22 °C, laser sensor %.1f mW): dark-referenced %.3f -> "
                            + "%.3f, affine %.3f -> %.3f%n", link.sensors().get(org.pnnedge.bridge.Sensor.LASER_POWER)
                            .orElse(Double.NaN), darkBefore, darkLaser, before, laser);
            warm(link);
            double drifted = RecalFixtures.accuracy(engine, test);
            RecalOutcome o = new Recalibrator(RecalConfig.defaults(), null, null)
                    .run(DeviceAccess.unshared(link), affine, engine.correction(), null);
            engine.setCorrection(o.correction());
            double recal = RecalFixtures.accuracy(engine, test);
            print("affine-readout bundle", before, drifted, recal, o.report());
            assertTrue(drifted < before - 0.15, "warming must hurt: " + before + " -> " + drifted);
            assertTrue(o.report().adopted() && !o.report().alarm(), o.report().reason());
            assertTrue(recal >= before - 0.03, "recalibration must restore accuracy: " + before + " -> " + recal);
        }
    }

    @Test
    void extremeWarmingRaisesAnAlarmAndOffersTheFreshMeasurements(@TempDir Path state) throws Exception {
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open(RecalFixtures.DEVICE);
            InferenceEngine engine = new InferenceEngine(link, bundle);
            double before = RecalFixtures.accuracy(engine, test);
            link.lab().orElseThrow().setAmbientTemperature(80);
            link.lab().orElseThrow().advanceClock(1800);
            double drifted = RecalFixtures.accuracy(engine, test);
            OutputCorrection current = engine.correction();
            RecalOutcome o = new Recalibrator(RecalConfig.defaults(), state, null)
                    .run(DeviceAccess.unshared(link), bundle, current, null);
            RecalReport r = o.report();
            engine.setCorrection(o.correction());
            double kept = RecalFixtures.accuracy(engine, test);
            engine.setCorrection(o.candidate());
            double candidate = RecalFixtures.accuracy(engine, test);
            System.out.printf("extreme warming (ambient 80 °C): accuracy %.3f -> %.3f; rejected correction would "
                            + "give %.3f; %s%n", before, drifted, candidate, r.reason());
            System.out.println(r.toJson().toPrettyString());
            assertTrue(r.alarm(), r.reason());
            assertFalse(r.adopted());
            assertFalse(r.validated());
            assertTrue(r.reason().contains("retrain"), r.reason());
            assertSame(current, o.correction(), "the current correction stays in service");
            assertEquals(drifted, kept, 1e-9 + 0.05);
            assertNotNull(r.freshMeasurements());
            Path csv = Path.of(r.freshMeasurements());
            assertTrue(csv.startsWith(state.resolve("fresh")));
            Characterization c = Characterization.read(csv);
            assertEquals(256, c.size());
            assertEquals(link.info().serialHex(), c.serial());
            Path probes = csv.resolveSibling(csv.getFileName().toString().replace(".csv", "-probes.json"));
            JsonNode pj = new ObjectMapper().readTree(probes.toFile());
            assertEquals(bundle.manifest().probes().size(), pj.get("probes").size());
            assertEquals(16, pj.get("probes").get(0).get("measuredOutput").size());
            // the report is persisted; no state was adopted, but the refitted twin is kept if it did better
            assertTrue(RecalState.lastReport(state).orElseThrow().get("alarm").asBoolean());
            assertEquals(r.twinUpdated(), Files.exists(state.resolve(RecalState.FILE)));
        }
    }

    @Test
    void stateIsPersistedAtomicallyAndReloaded(@TempDir Path state) throws Exception {
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open(RecalFixtures.DEVICE);
            InferenceEngine engine = new InferenceEngine(link, bundle);
            warm(link);
            Recalibrator recal = new Recalibrator(RecalConfig.defaults(), state, null);
            RecalOutcome o = recal.run(DeviceAccess.unshared(link), bundle, engine.correction(), null);
            assertTrue(o.report().adopted(), o.report().reason());
            try (Stream<Path> files = Files.list(state)) {
                assertEquals(List.of(RecalState.REPORT_FILE, RecalState.FILE),
                        files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
            }
            DeviceInfo info = link.info();
            RecalState s = RecalState.loadFor(state, bundle, info).orElseThrow();
            assertArrayEquals(o.correction().gain(), s.correction().gain());
            assertArrayEquals(o.correction().offset(), s.correction().offset());
            assertArrayEquals(((ShgTwin) o.twin()).calibration(), ((ShgTwin) s.twin()).calibration());
            assertEquals(bundle.payloadSha256(), s.bundleSha256());
            assertEquals(info.serialHex(), s.deviceSerial());
            assertEquals(o.report().toJson(), RecalState.lastReport(state).orElseThrow());

            // a state for another unit or another bundle is not applied
            DeviceInfo other = new DeviceInfo(info.serial() + 1, info.kind(), info.firmwareVersion(),
                    info.protocolVersion(), info.inputs(), info.params(), info.outputs(), info.dacBits(),
                    info.adcBits(), info.slots(), info.maxBatch(), info.typicalShotMicros(), info.emulated());
            assertEquals(Optional.empty(), RecalState.loadFor(state, bundle, other));
            ModelBundle otherBundle = new ModelBundle(bundle.manifest(), bundle.keyId(), "f".repeat(64), true);
            assertFalse(s.appliesTo(otherBundle, info));

            // restart: a new engine and recalibrator start from the saved state; the device has not moved since,
            // so the next run finds the saved correction within tolerance and raises no alarm
            InferenceEngine restarted = new InferenceEngine(link, bundle);
            restarted.setCorrection(s.correction());
            double acc = RecalFixtures.accuracy(restarted, test);
            RecalOutcome again = new Recalibrator(RecalConfig.defaults(), state, null)
                    .run(DeviceAccess.unshared(link), bundle, s.correction(), s.twin());
            System.out.printf("after restart with the saved state: accuracy %.3f; next run: %s%n", acc,
                    again.report().reason());
            assertTrue(acc > 0.88, "saved correction restores accuracy after a restart: " + acc);
            assertFalse(again.report().alarm(), again.report().reason());
            assertTrue(again.report().probeErrorBefore().withinTolerance() >= 0.9);

            // a damaged state file is reported, naming the file
            Files.writeString(state.resolve(RecalState.FILE), "{\"format\": \"pnn-recal-state\", \"formatVe");
            IOException e = assertThrows(IOException.class, () -> RecalState.load(state));
            assertTrue(e.getMessage().contains(RecalState.FILE), e.getMessage());
        }
    }

    @Test
    void inferencePausesOnlyForOneDevicePhaseAtATime() throws Exception {
        // 5 ms per shot with real waiting: dark and probe phases are 8 shots each, a fresh-shot phase 32 + 4;
        // the bounds leave room for a loaded build machine (GC, CPU contention stretch a phase's wall time)
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open("emulator:shg?seed=1&timing=realistic&shot_us=5000");
            InferenceEngine engine = new InferenceEngine(link, bundle);
            warm(link);
            ReentrantLock lock = new ReentrantLock(true);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong served = new AtomicLong();
            AtomicLong worstWait = new AtomicLong();
            CountDownLatch started = new CountDownLatch(1);
            Thread inference = new Thread(() -> {
                Prediction p = engine.newPrediction();
                double[] f = test.features()[0];
                while (!stop.get()) {
                    long t = System.nanoTime();
                    lock.lock();
                    try {
                        worstWait.accumulateAndGet(System.nanoTime() - t, Math::max);
                        engine.classify(f, p);
                    } finally {
                        lock.unlock();
                    }
                    served.incrementAndGet();
                    started.countDown();
                }
            }, "inference");
            inference.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            long servedBefore = served.get();
            RecalOutcome o = new Recalibrator(RecalConfig.defaults(), null, null)
                    .run(DeviceAccess.locked(link, lock), bundle, engine.correction(), null);
            long servedDuring = served.get() - servedBefore;
            stop.set(true);
            inference.join();
            RecalReport r = o.report();
            double shot = 0.005;
            System.out.printf("pause: %d phases, total %.3f s, longest %.3f s (one phase of at most 36 shots = %.3f s "
                            + "of shot time); inference served %d requests during the %.3f s recalibration, worst "
                            + "wait %.3f s%n", r.devicePhases(), r.pauseSeconds(), r.maxPauseSeconds(), 36 * shot,
                    servedDuring, r.durationSeconds(), worstWait.get() / 1e9);
            assertTrue(r.adopted(), r.reason());
            assertTrue(r.pauseSeconds() >= (8 + 32 + 8 * 36) * shot * 0.9, "the device phases take shot time");
            assertTrue(r.maxPauseSeconds() < 36 * shot + 0.5, "longest pause " + r.maxPauseSeconds());
            assertTrue(r.maxPauseSeconds() < r.pauseSeconds() / 3, "the pause is split into phases");
            assertTrue(r.maxPauseSeconds() >= 36 * shot * 0.9, "longest pause " + r.maxPauseSeconds());
            assertTrue(servedDuring >= r.devicePhases() - 1, "inference is served between device phases: "
                    + servedDuring);
            assertTrue(worstWait.get() / 1e9 < r.maxPauseSeconds() + 0.5, "worst inference wait " + worstWait.get());
        }
    }

    @Test
    void aBundleWithoutProbesOrTwinIsReportedNotCorrected() throws Exception {
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open(RecalFixtures.DEVICE);
            org.pnnedge.models.pnn.PnnModel m = org.pnnedge.models.pnn.PnnBundles.model(bundle.manifest());
            ModelBundle bare = new ModelBundle(org.pnnedge.models.pnn.PnnBundles.manifest("bare", "1.0.0", m,
                    link.info(), null, List.of(), null, java.util.Map.of()), "0000000000000000", "1".repeat(64),
                    false);
            InferenceEngine engine = new InferenceEngine(link, bare);
            warm(link);
            OutputCorrection current = engine.correction();
            RecalReport r = new Recalibrator(RecalConfig.defaults(), null, null)
                    .run(DeviceAccess.unshared(link), bare, current, null).report();
            assertFalse(r.adopted() || r.alarm() || r.validated());
            assertTrue(r.reason().contains("no reference probes"), r.reason());
            assertEquals(0, r.probes());
            assertTrue(Double.isNaN(r.twinNrmseBefore()) && Double.isNaN(r.drift().twinNrmse()));
            assertTrue(r.toJson().get("twinNrmseAfter").isNull());
        }
    }

    @Test
    void oneRecalibrationAtATime() throws Exception {
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open(RecalFixtures.DEVICE);
            new InferenceEngine(link, bundle);
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            DeviceAccess slow = new DeviceAccess() {
                @Override
                public <T> T withDevice(Function<DeviceLink, T> action) {
                    inside.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return action.apply(link);
                }
            };
            Recalibrator recal = new Recalibrator(RecalConfig.defaults().withFreshShots(32), null, null);
            OutputCorrection id = OutputCorrection.identity(
                    org.pnnedge.models.pnn.PnnBundles.model(bundle.manifest()).architecture().layers(), 16);
            List<Throwable> errors = new ArrayList<>();
            Thread first = new Thread(() -> {
                try {
                    recal.run(slow, bundle, id, null);
                } catch (Throwable t) {
                    errors.add(t);
                }
            });
            first.start();
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> recal.run(DeviceAccess.unshared(link), bundle, id, null));
            assertTrue(e.getMessage().contains("already running"));
            release.countDown();
            first.join();
            assertEquals(List.of(), errors);
        }
    }
}

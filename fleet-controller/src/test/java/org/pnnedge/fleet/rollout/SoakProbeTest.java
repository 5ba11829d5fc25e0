package org.pnnedge.fleet.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.TestFleet;
import org.pnnedge.fleet.cli.FleetMain;
import org.pnnedge.fleet.rollout.RolloutException.Kind;
import org.pnnedge.fleetsim.FleetSimulator;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;

/**
 * Probe accuracy measured by the controller in the soak, on real parts (skipped, with a message, without ejabberd
 * or PostgreSQL): a throwaway 3-node cluster, a private PostgreSQL and 30 simulated devices of which 3 are
 * <em>degraded</em> (their self-test passes, their answers after the update are bad). The probes are synthetic
 * women's vowel tokens (not the bundle's training data) in the bundle's feature units. Stage 1 (4 good canaries)
 * must pass on its measured accuracy; stage 2 holds the degraded units, which must make it halt, named.
 */
class SoakProbeTest {
    private static final int N = 30;
    private static final double DEGRADED_SHARE = 0.1;
    private static final long SIM_SEED = 5;
    private static final double MIN_ACCURACY = 0.6;
    private static final Duration T = Duration.ofSeconds(120);
    private static TestFleet fleet;
    private static FleetSimulator sim;
    private static Rollouts rollouts;
    private static List<String> ids;
    private static Set<String> degraded;
    private static Path probes;
    private static final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void up() throws Exception {
        fleet = TestFleet.up("pnnsp", N, T);
        probes = writeProbes(fleet.state.resolve("probes.csv"));
        sim = new FleetSimulator(new FleetSimulator.Options(N, "sim", "sim-", 0, SIM_SEED, 0, fleet.nodes(),
                fleet.layout.accountsFile(), fleet.state.resolve("agents"), fleet.trusted, fleet.shippedBytes(), 2, 100,
                DEGRADED_SHARE));
        ids = sim.deviceIds();
        BitSet b = FleetSimulator.degradedUnits(N, 0, DEGRADED_SHARE, SIM_SEED);
        degraded = b.stream().mapToObj(ids::get).collect(Collectors.toSet());
        assertEquals(3, degraded.size());
        assertEquals(N, sim.connect(T), "simulated devices connected");
        rollouts = new Rollouts(fleet.db, fleet.layout.accountsFile(), fleet.nodes(), line -> {
            progress.add(line);
            System.out.println("  controller: " + line);
        });
    }

    @AfterAll
    static void down() throws Exception {
        if (sim != null) {
            sim.stop();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void degradedUnitsFailTheirProbesAndHaltTheStageWhileGoodOnesPass() throws Exception {
        List<String> canaries = ids.stream().filter(d -> !degraded.contains(d)).limit(4).toList();
        Path bundle = fleet.bundle("1.1.0");
        Rollouts.ProbeOptions po = new Rollouts.ProbeOptions(probes, 30, Duration.ofSeconds(10), 16);
        SoakCheck.Limits limits = new SoakCheck.Limits(null, null, MIN_ACCURACY);

        // bad input first: named errors, nothing stored
        RolloutException e = assertThrows(RolloutException.class, () -> rollouts.create(options(bundle, canaries,
                SoakCheck.Limits.none(), po)));
        assertEquals(Kind.BAD_OPTION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("--soak-min-accuracy"), e.getMessage());
        Path narrow = fleet.state.resolve("narrow.csv");
        Files.writeString(narrow, "0.5,0.5,ae\n");
        e = assertThrows(RolloutException.class, () -> rollouts.create(options(bundle, canaries, limits,
                new Rollouts.ProbeOptions(narrow, 30, Duration.ofSeconds(10), 16))));
        assertTrue(e.getMessage().contains("line 1 has 3 fields"), e.getMessage());
        assertEquals(0, queryLong("SELECT count(*) FROM rollout"));

        long id = rollouts.create(options(bundle, canaries, limits, po));
        RolloutController.Outcome out = rollouts.resume(id);
        String seen = describe(id);
        System.out.println(seen);
        assertEquals("HALTED", out.state(), seen);
        assertEquals(2, out.stage(), seen);
        Rollouts.Status s = rollouts.status(id);
        assertEquals(List.of("PASSED", "HALTED"), s.stages().stream().map(Rollout.StageCounts::state).toList(), seen);
        assertEquals(N, s.stages().get(0).switched() + s.stages().get(1).switched(), "every unit passed its self-test: " + seen);

        TreeMap<String, double[]> acc = probeRows(id);
        assertEquals(N, acc.size(), "every switched device was probed: " + acc.keySet() + "\n" + seen);
        for (var en : acc.entrySet()) {
            double[] v = en.getValue(); // stage, accuracy, passed, answered
            String what = en.getKey() + " stage " + (int) v[0] + " accuracy " + v[1] + " answered " + (int) v[3] + "\n" + seen;
            if (degraded.contains(en.getKey())) {
                assertEquals(2, (int) v[0], what);
                assertTrue(v[1] < MIN_ACCURACY && v[2] == 0, what);
            } else {
                assertTrue(v[1] >= MIN_ACCURACY && v[2] == 1, what);
            }
        }
        for (String d : degraded) {
            assertTrue(s.rollout().haltReason().contains(d) || s.rollout().haltReason().contains("…"),
                    "halt names the degraded units: " + s.rollout().haltReason());
        }
        assertTrue(s.rollout().haltReason().contains("probe accuracy"), s.rollout().haltReason());
        assertEquals(List.of(1, 2), s.probes().stream().map(SoakProbes.StageSummary::stage).toList(), seen);
        assertEquals(0, s.probes().get(0).failed(), seen);
        assertEquals(3, s.probes().get(1).failed(), seen);
        assertTrue(seen.contains("accuracy min / mean"), seen);
    }

    /** 140 synthetic women's tokens of the 7 vowels, shuffled, in the bundle's units (Hz / PAT column maxima). */
    private static Path writeProbes(Path f) throws Exception {
        Dataset d = Normalization.patVowel7().apply(SyntheticVowels.builder().groups(TalkerGroup.WOMEN)
                .vowelCodes(fleet.base.labels().toArray(String[]::new)).seed(77).talkers(20).tokensPerTalker(1).build());
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            StringBuilder b = new StringBuilder();
            for (double v : d.features()[i]) {
                b.append(String.format(Locale.ROOT, "%.6f,", v));
            }
            rows.add(b.append(d.labelNames().get(d.labels()[i])).toString());
        }
        Collections.shuffle(rows, new Random(3));
        rows.add(0, "# synthetic women's vowel tokens (SyntheticVowels seed 77), features / PAT maxima, label");
        Files.write(f, rows);
        return f;
    }

    private static Rollouts.StartOptions options(Path bundle, List<String> canaries, SoakCheck.Limits l,
                                                 Rollouts.ProbeOptions po) {
        return new Rollouts.StartOptions(bundle, fleet.trusted, "sim", "4,100%", canaries, 0.02, Duration.ofSeconds(2),
                Duration.ofSeconds(90), Duration.ofSeconds(20), 1, false, null, l, po);
    }

    private static TreeMap<String, double[]> probeRows(long id) throws Exception {
        TreeMap<String, double[]> m = new TreeMap<>();
        try (Connection c = fleet.db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT device_id, stage_no, accuracy, passed, answered FROM rollout_probe WHERE rollout_id = " + id)) {
            while (rs.next()) {
                m.put(rs.getString(1), new double[] {rs.getInt(2), rs.getDouble(3), rs.getBoolean(4) ? 1 : 0, rs.getInt(5)});
            }
        }
        return m;
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = fleet.db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String describe(long id) {
        StringWriter w = new StringWriter();
        var cl = FleetMain.commandLine();
        cl.setOut(new PrintWriter(w));
        cl.setErr(new PrintWriter(w));
        cl.execute("rollout", "status", "" + id, "--state-dir", fleet.layout.stateDir().toString(), "--db-port",
                "" + fleet.db.layout().port());
        return w + "controller lines: " + progress;
    }
}

package org.pnnedge.models.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.testing.GradientCheck;

/** Finite-difference checks of the black-box and residual twins, and the JSON form of all three twin types. */
class MlpAndResidualTwinTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static MlpTwin mlp(long seed) {
        MlpTwin m = MlpTwin.create(PhysicsKind.SHG, 16, 32, 16, new int[] {12, 10}, Activation.GELU, seed);
        // non-trivial output biases, as after initialise()
        SplittableRandom r = new SplittableRandom(seed + 1);
        List<double[]> p = m.parameters();
        double[] liveBias = p.get(p.size() - 1);
        for (int i = 0; i < liveBias.length; i++) {
            liveBias[i] = 0.2 + 0.1 * r.nextDouble();
        }
        return m;
    }

    static ResidualTwin residual(long seed) {
        ResidualTwin t = ResidualTwin.of(ShgTwinGradientTest.randomTwin(seed),
                MlpTwin.create(PhysicsKind.SHG, 16, 32, 16, new int[] {8}, Activation.GELU, seed));
        // a residual that matters: undo most of the 0.01 start-up scaling
        t.residual().scaleOutput(30);
        return t;
    }

    static Stream<Arguments> trainableTwins() {
        return Stream.of(Arguments.of("mlp", mlp(4)), Arguments.of("residual", residual(5)));
    }

    static Stream<Arguments> allTwins() {
        return Stream.of(Arguments.of("shg-greybox", ShgTwinGradientTest.randomTwin(3)),
                Arguments.of("mlp", mlp(4)), Arguments.of("shg-greybox+mlp", residual(5)));
    }

    /** Loss = Σ w_k y_k, so dL/dy = w. */
    static double loss(Twin t, double[] x, double[] th, double[] w, Twin.Workspace ws) {
        double[] y = new double[t.outputs()];
        t.forward(x, th, y, ws);
        double l = 0;
        for (int k = 0; k < y.length; k++) {
            l += w[k] * y[k];
        }
        return l;
    }

    static double[] point(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.05 + 0.9 * r.nextDouble();
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainableTwins")
    void inputVjpMatchesFiniteDifferences(String name, TrainableTwin t) {
        SplittableRandom r = new SplittableRandom(21);
        Twin.Workspace ws = t.newWorkspace();
        double h = 1e-6;
        for (int trial = 0; trial < 4; trial++) {
            double[] x = point(r, 16);
            double[] th = point(r, 32);
            double[] w = new double[16];
            for (int k = 0; k < 16; k++) {
                w[k] = r.nextDouble() - 0.5;
            }
            double[] y = new double[16];
            t.forward(x, th, y, ws);
            double[] dx = new double[16];
            double[] dth = new double[32];
            t.vjp(w, dx, dth, ws);
            // backward gives the same VJP
            double[] dx2 = new double[16];
            double[] dth2 = new double[32];
            t.zeroGradients(ws);
            t.backward(w, dx2, dth2, ws);
            assertArrayEquals(dx, dx2, 1e-15, "backward's dx");
            assertArrayEquals(dth, dth2, 1e-15, "backward's dθ");
            GradientCheck.Tolerance tol = GradientCheck.absRel(1e-7, 1e-5);
            double[] fdx = GradientCheck.numericGradient(xx -> loss(t, xx, th, w, ws), x, h);
            double[] fdth = GradientCheck.numericGradient(tt -> loss(t, x, tt, w, ws), th, h);
            GradientCheck.assertGradient(name + " dL/dx", dx, fdx, tol);
            GradientCheck.assertGradient(name + " dL/dθ", dth, fdth, tol);
            double norm = 0;
            for (double fd : fdx) {
                norm += fd * fd;
            }
            for (double fd : fdth) {
                norm += fd * fd;
            }
            assertTrue(norm > 1e-6, "the check must not be vacuous: |grad|² = " + norm);
            // null outputs are allowed
            t.forward(x, th, y, ws);
            t.vjp(w, null, dth2, ws);
            assertArrayEquals(dth, dth2, 1e-15);
            t.vjp(w, dx2, null, ws);
            assertArrayEquals(dx, dx2, 1e-15);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainableTwins")
    void parameterGradientsMatchFiniteDifferences(String name, TrainableTwin t) {
        SplittableRandom r = new SplittableRandom(31);
        Twin.Workspace ws = t.newWorkspace();
        double[] x = point(r, 16);
        double[] th = point(r, 32);
        double[] w = new double[16];
        for (int k = 0; k < 16; k++) {
            w[k] = r.nextDouble() - 0.5;
        }
        double[] y = new double[16];
        t.zeroGradients(ws);
        t.forward(x, th, y, ws);
        t.backward(w, null, null, ws);
        List<double[]> params = t.parameters();
        List<double[]> grads = t.gradients(ws);
        assertEquals(params.size(), grads.size());
        double h = 1e-6;
        int checked = 0;
        int total = 0;
        for (int a = 0; a < params.size(); a++) {
            double[] p = params.get(a);
            double[] g = grads.get(a);
            assertEquals(p.length, g.length, "gradient array " + a);
            double[] fd = GradientCheck.numericGradient(p, () -> loss(t, x, th, w, ws), h); // p is held by t
            GradientCheck.assertGradient(name + " dL/dparam[" + a + "]", g, fd, GradientCheck.absRel(1e-7, 1e-4));
            for (double v : fd) {
                if (Math.abs(v) > 1e-6) {
                    checked++;
                }
                total++;
            }
        }
        assertTrue(checked > total / 3, name + ": most parameters must matter, " + checked + " of " + total);

        // backward accumulates; zeroGradients resets; vjp does not touch the accumulators
        double[] first = grads.get(grads.size() - 1).clone();
        t.forward(x, th, y, ws);
        t.backward(w, null, null, ws);
        double[] doubled = grads.get(grads.size() - 1);
        for (int i = 0; i < first.length; i++) {
            assertEquals(2 * first[i], doubled[i], 1e-12);
        }
        t.zeroGradients(ws);
        t.forward(x, th, y, ws);
        t.vjp(w, new double[16], new double[32], ws);
        for (double[] g : t.gradients(ws)) {
            for (double v : g) {
                assertEquals(0.0, v, "vjp must not accumulate parameter gradients");
            }
        }
    }

    @Test
    void residualIsBasePlusMlp() {
        ResidualTwin t = residual(8);
        SplittableRandom r = new SplittableRandom(8);
        double[] x = point(r, 16);
        double[] th = point(r, 32);
        double[] y = new double[16];
        double[] yb = new double[16];
        double[] yr = new double[16];
        t.forward(x, th, y, t.newWorkspace());
        t.base().forward(x, th, yb, t.base().newWorkspace());
        t.residual().forward(x, th, yr, t.residual().newWorkspace());
        for (int k = 0; k < 16; k++) {
            assertEquals(yb[k] + yr[k], y[k], 1e-15);
        }
        assertEquals("shg-greybox+mlp", t.type());
        assertEquals(PhysicsKind.SHG, t.kind());
        assertThrows(IllegalArgumentException.class, () -> new ResidualTwin(ShgTwin.initial(),
                MlpTwin.create(PhysicsKind.SHG, 16, 32, 8, new int[] {4}, Activation.GELU, 1)));
        // copies are independent
        ResidualTwin c = t.copy();
        c.parameters().get(0)[0] += 1;
        c.parameters().get(1)[0] += 1;
        assertTrue(t.parameters().get(0)[0] != c.parameters().get(0)[0]);
        assertTrue(t.parameters().get(1)[0] != c.parameters().get(1)[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allTwins")
    void jsonRoundTripGivesIdenticalOutputs(String type, TrainableTwin t) throws Exception {
        JsonNode json = TwinCodec.toJson(t);
        assertEquals(type, json.get("type").asText());
        String text = JSON.writeValueAsString(json);
        TrainableTwin back = TwinCodec.fromJson(JSON.readTree(text));
        assertEquals(t.getClass(), back.getClass());
        assertEquals(t.type(), back.type());
        assertEquals(t.kind(), back.kind());
        assertEquals(json, TwinCodec.toJson(back), "re-encoding gives the same JSON");
        SplittableRandom r = new SplittableRandom(5);
        Twin.Workspace wa = t.newWorkspace();
        Twin.Workspace wb = back.newWorkspace();
        for (int s = 0; s < 20; s++) {
            double[] x = point(r, 16);
            double[] th = point(r, 32);
            double[] ya = new double[16];
            double[] yb = new double[16];
            t.forward(x, th, ya, wa);
            back.forward(x, th, yb, wb);
            assertArrayEquals(ya, yb, 0.0, "outputs must be bit-identical after a round trip");
            double[] w = point(r, 16);
            double[] dxa = new double[16];
            double[] dta = new double[32];
            double[] dxb = new double[16];
            double[] dtb = new double[32];
            t.vjp(w, dxa, dta, wa);
            back.vjp(w, dxb, dtb, wb);
            assertArrayEquals(dxa, dxb, 0.0);
            assertArrayEquals(dta, dtb, 0.0);
        }
    }

    static void assertNames(String field, String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TwinCodec.fromJson(node),
                json);
        assertTrue(e.getMessage().contains(field), "'" + e.getMessage() + "' should name " + field);
    }

    @Test
    void malformedJsonErrorsNameTheField() throws Exception {
        ObjectNode shg = (ObjectNode) TwinCodec.toJson(ShgTwin.initial());
        ObjectNode mlp = (ObjectNode) TwinCodec.toJson(mlp(1));
        ObjectNode res = (ObjectNode) TwinCodec.toJson(residual(1));

        assertNames("type", "{\"calibration\": [1, 2]}");
        assertNames("type", "{\"type\": 3, \"calibration\": [1, 2]}");
        assertNames("unknown twin type 'fpga'", "{\"type\": \"fpga\"}");
        assertNames("calibration", "{\"type\": \"shg-greybox\"}");
        assertNames("calibration", "{\"type\": \"shg-greybox\", \"calibration\": null}");
        assertNames("calibration", "{\"type\": \"shg-greybox\", \"calibration\": [1, 2, 3]}");
        assertNames("calibration", "{\"type\": \"shg-greybox\", \"calibration\": \"x\"}");
        assertNames("calibration", "{\"type\": \"shg-greybox\", \"calibration\": [1, \"a\", 3]}");
        for (String field : new String[] {"physics", "inputs", "params", "mlp"}) {
            ObjectNode m = mlp.deepCopy();
            m.remove(field);
            assertNames(field, m.toString());
        }
        ObjectNode badPhysics = mlp.deepCopy().put("physics", "antimatter");
        assertNames("antimatter", badPhysics.toString());
        ObjectNode badInputs = mlp.deepCopy().put("inputs", "sixteen");
        assertNames("inputs", badInputs.toString());
        ObjectNode badMlp = mlp.deepCopy();
        badMlp.set("mlp", JSON.readTree("{\"widths\": \"wide\"}"));
        assertNames("mlp", badMlp.toString());
        for (String field : new String[] {"base", "residual"}) {
            ObjectNode r = res.deepCopy();
            r.remove(field);
            assertNames(field, r.toString());
        }
        ObjectNode notMlp = res.deepCopy();
        notMlp.set("residual", shg);
        assertNames("residual", notMlp.toString());
        assertThrows(IllegalArgumentException.class, () -> TwinCodec.fromJson(JSON.readTree("[1, 2]")));
        assertThrows(IllegalArgumentException.class, () -> TwinCodec.fromJson(null));
    }
}

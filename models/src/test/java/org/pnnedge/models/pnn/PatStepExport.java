package org.pnnedge.models.pnn;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.pnnedge.models.jmh.ModelRigs;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.TwinCodec;

/**
 * Writes what {@code bench/pytorch/shg_twin_step.py} needs to check its PyTorch twin and PAT step against ours: the
 * twin of {@link PnnStepBenchmark}'s rig (calibration as {@link TwinCodec} writes it), 32 (x, θ, dL/dy) rows with
 * this twin's y, dL/dx and dL/dθ, and one PAT step of batch 8 (the device's forward pass, the parameters, and the
 * gradients {@link PnnPass#backward} computes). Not a test; run by {@code bench/run-pytorch.sh}.
 * <pre>java -cp ... org.pnnedge.models.pnn.PatStepExport OUT.json</pre>
 */
public final class PatStepExport {
    private PatStepExport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PatStepExport OUT.json");
            System.exit(2);
        }
        PnnStepBenchmark.Rig rig = new PnnStepBenchmark.Rig(true);
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("twin", TwinCodec.toJson(rig.twin));
            out.put("rows", twinRows(rig.twin));
            out.put("step", step(rig));
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[0]).toFile(), out);
        } finally {
            rig.close();
        }
        System.out.println("wrote " + args[0]);
    }

    /** Rows drawn like {@code TwinBenchmark}'s (seed 42, x and θ uniform in [0.1, 0.9], dL/dy uniform in [-1, 1]). */
    private static List<Map<String, double[]>> twinRows(ShgTwin twin) {
        SplittableRandom r = new SplittableRandom(42);
        int n = 32;
        double[][] x = ModelRigs.uniformRows(r, n, ShgTwin.INPUTS);
        double[][] th = ModelRigs.uniformRows(r, n, ShgTwin.PARAMS);
        var ws = twin.newWorkspace();
        List<Map<String, double[]>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] dy = new double[ShgTwin.OUTPUTS];
            for (int k = 0; k < dy.length; k++) {
                dy[k] = r.nextDouble(-1, 1);
            }
            double[] y = new double[ShgTwin.OUTPUTS];
            double[] dx = new double[ShgTwin.INPUTS];
            double[] dth = new double[ShgTwin.PARAMS];
            twin.forward(x[i], th[i], y, ws);
            twin.vjp(dy, dx, dth, ws);
            rows.add(Map.of("x", x[i], "theta", th[i], "dy", dy, "y", y, "dx", dx, "dtheta", dth));
        }
        return rows;
    }

    /** One batch of 8 as the step benchmark runs it: device forward, then the PAT backward at the measured points. */
    private static Map<String, Object> step(PnnStepBenchmark.Rig rig) {
        int m = rig.nextBatch();
        PnnPass pass = rig.pass;
        PnnParameters p = rig.p;
        pass.forward(p, rig.zb, m, rig.layers);
        if (!rig.arch.ops().legacy() || rig.arch.hybrid()) {
            throw new IllegalStateException("shg_twin_step.py mirrors a 1-layer network with the legacy operations"
                    + " (clamp, no normalisation, no skip); the rig is " + rig.arch);
        }
        PnnParameters g = p.zerosLike();
        double loss = pass.backward(p, rig.zb, rig.yb, m, rig.twin, rig.ws, 1.0, g);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batch", m);
        s.put("rangePenalty", 1.0);
        s.put("classChannels", rig.arch.classChannels());
        s.put("z", java.util.Arrays.copyOf(rig.zb, m));
        s.put("labels", java.util.Arrays.copyOf(rig.yb, m));
        s.put("xPre", java.util.Arrays.copyOf(pass.u[0], m));
        s.put("xq", java.util.Arrays.copyOf(pass.xq[0], m));
        s.put("thetaQ", pass.thetaQ[0]);
        s.put("yDevice", java.util.Arrays.copyOf(pass.y[0], m));
        s.put("theta", p.theta[0]);
        s.put("gain", p.gain[0]);
        s.put("offset", p.offset[0]);
        s.put("shift", p.shift[0]);
        s.put("scale", p.scale[0]);
        s.put("readGain", p.readGain);
        s.put("readOffset", p.readOffset);
        s.put("readShift", p.readShift);
        s.put("readScale", p.readScale);
        s.put("loss", loss);
        s.put("gradTheta", g.theta[0]);
        s.put("gradGain", g.gain[0]);
        s.put("gradOffset", g.offset[0]);
        s.put("gradReadGain", g.readGain);
        s.put("gradReadOffset", g.readOffset);
        return s;
    }
}

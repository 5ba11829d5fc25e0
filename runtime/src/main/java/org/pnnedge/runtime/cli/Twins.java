package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.plot.ScatterChart;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.MlpTwin;
import org.pnnedge.models.twin.ResidualTwin;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.Twin;
import org.pnnedge.models.twin.TwinCodec;
import org.pnnedge.models.twin.TwinFitter;
import org.pnnedge.models.twin.TwinReport;

/** Twin creation, fitting with progress, files and plots, shared by fit-twin and train. */
final class Twins {
    private Twins() {
    }

    static TrainableTwin fresh(String type, Characterization data, long seed) {
        PhysicsKind kind = data.kind();
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "greybox" -> {
                requireShg(kind, type);
                yield ShgTwin.initial();
            }
            case "greybox+mlp" -> {
                requireShg(kind, type);
                yield ResidualTwin.of(ShgTwin.initial(), MlpTwin.create(kind, data.inputCount(), data.paramCount(),
                        data.outputCount(), new int[] {64}, Activation.GELU, seed));
            }
            case "mlp" -> MlpTwin.create(kind, data.inputCount(), data.paramCount(), data.outputCount(),
                    new int[] {128, 128}, Activation.GELU, seed);
            default -> throw new CliException("--type must be greybox, greybox+mlp or mlp, got '" + type + "'");
        };
    }

    private static void requireShg(PhysicsKind kind, String type) {
        if (kind != PhysicsKind.SHG) {
            throw new CliException("the " + type + " twin models SHG physics; for " + kind.id() + " use --type mlp");
        }
    }

    static FittedTwin fit(TrainableTwin start, Characterization data, TwinFitter fitter, PrintWriter err) {
        ProgressBar bar = new ProgressBar(err, "fit twin", fitter.epochs());
        return fitter.fit(start, data, false, p -> bar.update(p.epoch(),
                Double.isNaN(p.heldOutNrmse()) ? "" : "held-out NRMSE %.3f".formatted(p.heldOutNrmse())));
    }

    static void printReport(PrintWriter out, TwinReport r) {
        out.printf("twin held-out NRMSE %.4f (device shot-noise floor %.4f) on %d samples, fitted in %.1f s%n",
                r.nrmse(), r.noiseFloor(), r.heldOutSamples(), r.seconds());
        StringBuilder sb = new StringBuilder("per channel:");
        for (int k = 0; k < r.nrmsePerChannel().length; k++) {
            sb.append(" %.3f".formatted(r.nrmsePerChannel()[k]));
        }
        out.println(sb);
    }

    static void write(Path file, FittedTwin f) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", "pnn-twin");
        o.put("formatVersion", 1);
        o.set("twin", TwinCodec.toJson(f.twin()));
        o.set("provenance", Json.MAPPER.valueToTree(f.provenance()));
        if (f.report() != null) {
            o.set("report", Json.MAPPER.valueToTree(f.report()));
        }
        Files.writeString(file, Json.MAPPER.writeValueAsString(o));
    }

    static TrainableTwin read(Path file) throws IOException {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new CliException("cannot read twin file " + file + ": " + e.getMessage());
        }
        if (o == null || !"pnn-twin".equals(o.path("format").asText())) {
            throw new CliException(file + " is not a twin file (expected \"format\": \"pnn-twin\")");
        }
        try {
            return TwinCodec.fromJson(o.get("twin"));
        } catch (IllegalArgumentException e) {
            throw new CliException(file + ": " + e.getMessage());
        }
    }

    /** Predicted vs measured for a sample of the data, one series per few output channels. */
    static void plot(Path png, Twin twin, Characterization data) throws IOException {
        int n = Math.min(2000, data.size());
        int step = Math.max(1, data.size() / n);
        ScatterChart chart = new ScatterChart("Twin vs device (" + data.kind().id() + ", " + n + " samples)",
                "measured output (ADC code / max)", "twin prediction");
        Twin.Workspace ws = twin.newWorkspace();
        double[] x = new double[twin.inputs()];
        double[] th = new double[twin.params()];
        double[] y = new double[twin.outputs()];
        int groups = 4;
        int per = (twin.outputs() + groups - 1) / groups;
        double[][] meas = new double[groups][n * per];
        double[][] pred = new double[groups][n * per];
        int[] fill = new int[groups];
        for (int s = 0, i = 0; s < n; s++, i += step) {
            for (int k = 0; k < x.length; k++) {
                x[k] = data.inputs()[i][k] / data.maxDac();
            }
            for (int k = 0; k < th.length; k++) {
                th[k] = data.params()[i][k] / data.maxDac();
            }
            twin.forward(x, th, y, ws);
            for (int k = 0; k < y.length; k++) {
                int g = k / per;
                meas[g][fill[g]] = data.outputs()[i][k] / data.maxAdc();
                pred[g][fill[g]++] = y[k];
            }
        }
        for (int g = 0; g < groups; g++) {
            int lo = g * per;
            int hi = Math.min(twin.outputs(), lo + per) - 1;
            chart.series("channels " + lo + "-" + hi, java.util.Arrays.copyOf(meas[g], fill[g]),
                    java.util.Arrays.copyOf(pred[g], fill[g]));
        }
        chart.write(png);
    }
}

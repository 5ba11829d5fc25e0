package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.emulator.EmulatorEndpoint;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;

/**
 * The device sessions {@code pnn train --sessions N} trains across (models.md, "Training across device sessions"):
 * session k of the URI's unit is the same emulated unit met at another time (another drift state, other noise).
 * The first session is the link train characterises the device on; the others are opened beside it in the same
 * context (which closes them). With one session nothing changes: training runs on the one link as always.
 *
 * @param uris    the session URIs, first the one train characterises on
 * @param devices one device per session, in the same order
 */
record TrainSessions(List<String> uris, List<PhysicalLayers.OnDevice> devices) {
    TrainSessions {
        uris = List.copyOf(uris);
        devices = List.copyOf(devices);
    }

    /**
     * The session URIs for {@code --sessions n} on {@code uri}, refused (with the option named) for a real device,
     * outside 1..100 or in silico with n > 1: in silico the forward passes run on the twin, so there is no device
     * session to rotate (validation alone would rotate, which trains nothing across sessions).
     */
    static List<String> uris(String uri, int n, TrainingMode mode) {
        if (n > 1 && mode != TrainingMode.PAT) {
            throw new CliException("--sessions " + n + " is for physics-aware training (--mode pat): in silico the "
                    + "forward passes run on the twin, not on a device session");
        }
        return EvalCommand.sessionUris(uri, n);
    }

    /** Opens sessions 2..N in {@code ctx} beside {@code first} (session 1's link, already open). */
    static TrainSessions open(DeviceContext ctx, DeviceLink first, List<String> uris) {
        List<PhysicalLayers.OnDevice> d = new ArrayList<>();
        d.add(new PhysicalLayers.OnDevice(first));
        for (String u : uris.subList(1, uris.size())) {
            DeviceLink l = ctx.open(u);
            if (!l.info().serialHex().equals(first.info().serialHex())) {
                throw new CliException(u + " is unit " + l.info().serialHex() + ", not " + first.info().serialHex()
                        + ": sessions must be of one unit");
            }
            d.add(new PhysicalLayers.OnDevice(l));
        }
        return new TrainSessions(uris, d);
    }

    /** The first session: the one the twin is fitted on and the bundle's probes are measured on. */
    PhysicalLayers.OnDevice first() {
        return devices.get(0);
    }

    /** Where training's forward passes run: the one link, or a rotation over all sessions (epoch e: (e-1) mod N). */
    PhysicalLayers trainOn() {
        return devices.size() == 1 ? first() : new PhysicalLayers.AcrossSessions(devices);
    }

    /**
     * Accuracy of {@code model} over every session ({@code repeats} passes each): {@code metric} is the mean over
     * sessions and, with more than one, {@code metric_session<k>} each session's (k = its session number).
     */
    double evaluate(PnnModel model, double[][] z, int[] y, int repeats, String metric, Map<String, Double> metrics) {
        double sum = 0;
        for (int k = 0; k < devices.size(); k++) {
            double a = TrainCommand.mean(PnnTrainer.evaluate(model, z, y, devices.get(k), repeats, null));
            sum += a;
            if (devices.size() > 1) {
                metrics.put(metric + "_session" + EmulatorEndpoint.sessionOf(uris.get(k)), a);
            }
        }
        double mean = sum / devices.size();
        metrics.put(metric, mean);
        return mean;
    }

    /** Records the sessions in the bundle's hyper-parameters (only when more than one: the default stays as it was). */
    void record(ObjectNode hp) {
        if (uris.size() > 1) {
            hp.put("device_sessions", uris.size());
            ArrayNode a = hp.putArray("device_session_uris");
            uris.forEach(a::add);
        }
    }

    /** Prints the per-session figures of {@link #evaluate} (nothing for one session). */
    void print(PrintWriter out, Map<String, Double> metrics) {
        if (uris.size() < 2) {
            return;
        }
        out.printf("trained across %d sessions of the unit (epoch e on session (e-1) mod %d); device accuracy per "
                + "session (train / validation):", uris.size(), uris.size());
        for (String u : uris) {
            long s = EmulatorEndpoint.sessionOf(u);
            Double v = metrics.get("validation_accuracy_device_session" + s);
            out.printf(Locale.ROOT, "%s session %d %.3f%s", u.equals(uris.get(0)) ? "" : ",", s,
                    metrics.get("train_accuracy_device_session" + s), v == null ? "" : " / %.3f".formatted(v));
        }
        out.println();
    }
}

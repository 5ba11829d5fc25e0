package org.pnnedge.runtime.edge;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.audio.TalkerEstimate;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.runtime.service.Answer;
import org.pnnedge.runtime.service.InferenceService;

/**
 * Answers a {@link Measurement}: the measured formants and F0 become the features of the model that answers (its
 * feature layout), and a named talker's running estimate gives a {@code talker13} model the talker's G over the
 * vowels before this one, as {@code pnn listen} does (audio.md, "A running per-talker estimate"). The reply is the
 * model's answer plus {@code warnings} and, with a talker, a {@code talker} object.
 */
final class MeasuredClassify {
    private final InferenceService inference;
    private final Talkers talkers;

    MeasuredClassify(InferenceService inference, Talkers talkers) {
        this.inference = inference;
        this.talkers = talkers;
    }

    JsonNode classify(JsonNode request) {
        Measurement m;
        try {
            m = Measurement.parse(request);
            if (m.label() != null && !inference.engine().labels().contains(m.label())) {
                throw new IllegalArgumentException("\"label\" '" + m.label() + "' is not one of the model's labels "
                        + inference.engine().labels());
            }
        } catch (IllegalArgumentException e) {
            return ControlServer.error(e.getMessage());
        }
        List<String> warnings = new ArrayList<>();
        String outside = Double.isNaN(m.f0Hz()) ? null : FormantFeatures.f0Warning(m.f0Hz());
        if (outside != null) {
            warnings.add(outside);
        }
        if (m.talker() == null) { // a talker's first word: talker13 takes G from its F0
            Answer a = inference.classify(layout -> withF0(layout, m).features(m.formantsHz(), m.f0Hz()));
            return reply(a, warnings, null, false, null);
        }
        TalkerEstimate t = talkers.of(m.talker());
        synchronized (t) { // G before this vowel, then this vowel: one request of a talker at a time
            double g = t.talkerG();
            Answer a = inference.classify(layout -> withF0(layout, m).features(m.formantsHz(), m.f0Hz(), g));
            boolean learned = false;
            // a voice outside the trained range, one without F0, or one its client doubts would bias the estimate
            if (m.learn() && outside == null && !Double.isNaN(m.f0Hz())) {
                learned = m.label() != null ? t.add(m.formantsHz(), m.f0Hz(), m.label())
                        : t.add(m.formantsHz(), m.f0Hz(), a.label(), a.confidence());
            }
            return reply(a, warnings, t, learned, m.talker());
        }
    }

    private static JsonNode reply(Answer a, List<String> warnings, TalkerEstimate t, boolean learned, String id) {
        ObjectNode o = ControlServer.MAPPER.valueToTree(a);
        o.set("warnings", ControlServer.MAPPER.valueToTree(warnings));
        if (t != null) {
            ObjectNode n = o.putObject("talker");
            n.put("id", id);
            n.put("learned", learned);
            n.put("vowels", t.vowels());
            if (t.vowels() > 0) {
                n.put("f0_hz", Math.round(t.f0Hz() * 10) / 10.0);
                n.put("formant_mean_hz", Math.round(t.formantMeanHz() * 10) / 10.0);
            }
            n.put("settled", t.settled());
        }
        return o;
    }

    /** The layout, refusing a measurement without F0 when it needs one by the request's field (not "got NaN Hz"). */
    private static FeatureLayout withF0(String id, Measurement m) {
        FeatureLayout layout = FeatureLayout.of(id);
        if (layout.needsF0() && Double.isNaN(m.f0Hz())) {
            throw new IllegalArgumentException("feature layout " + id + " needs F0: give the vowel's F0 in Hz as f0Hz");
        }
        return layout;
    }
}

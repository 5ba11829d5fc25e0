package org.pnnedge.runtime.edge;

import com.fasterxml.jackson.databind.JsonNode;

import org.pnnedge.runtime.mqtt.TalkerId;

/**
 * A classify request that carries what a front end measured instead of a model's features:
 * {@code {"formantsHz":[12 values],"f0Hz":187,"talker":"kiosk-1","label":"iy"}}. The service turns it into the
 * features of the model that answers (its feature layout, audio.md), so a client need not know the layout; with a
 * {@code talker} the service keeps that talker's running log-mean G for {@code talker13} models ({@link Talkers}).
 *
 * @param formantsHz the 12 formant values, Hz: F1–F3 at steady state, then at 20, 50 and 80 % of the vowel
 * @param f0Hz       the vowel's F0, Hz; NaN when not given (only {@code hz12} models do without)
 * @param talker     who said it (a client-chosen id), or null for a talker's first word
 * @param label      the vowel the talker was asked to say (a prompted enrolment word), or null: then the
 *                   model's answer is what the talker's estimate learns from
 * @param learn      whether the talker's estimate may learn from this vowel ({@code "learn":false}: a client that
 *                   doubts its own measurement, e.g. low audio confidence, still gets the talker's G)
 */
record Measurement(double[] formantsHz, double f0Hz, String talker, String label, boolean learn) {
    /** Whether the request is a measurement (has {@code formantsHz}) rather than a feature vector. */
    static boolean isMeasurement(JsonNode request) {
        return request.has("formantsHz");
    }

    /**
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    static Measurement parse(JsonNode request) {
        if (request.has("features")) {
            throw new IllegalArgumentException("give either \"features\" or \"formantsHz\", not both");
        }
        JsonNode f = request.get("formantsHz");
        if (!f.isArray() || f.size() != 12) {
            throw new IllegalArgumentException("\"formantsHz\" must be 12 numbers (F1-F3 at steady state, 20, 50 and "
                    + "80 % of the vowel), got " + (f.isArray() ? f.size() + " values" : f.getNodeType()));
        }
        double[] hz = new double[12];
        for (int i = 0; i < 12; i++) {
            hz[i] = positive("formantsHz[" + i + "]", f.get(i));
        }
        JsonNode f0 = request.get("f0Hz");
        double f0Hz = f0 == null || f0.isNull() ? Double.NaN : positive("f0Hz", f0);
        String talker = text(request, "talker");
        if (talker != null && !TalkerId.isValid(talker)) {
            throw new IllegalArgumentException("\"talker\" must be " + TalkerId.RULE + ", got \""
                    + abbreviate(talker) + "\"");
        }
        String label = text(request, "label");
        if (label != null && talker == null) {
            throw new IllegalArgumentException("\"label\" (a prompted word) needs a \"talker\" to enrol");
        }
        JsonNode learn = request.get("learn");
        if (learn != null && !learn.isBoolean()) {
            throw new IllegalArgumentException("\"learn\" must be true or false, got " + learn);
        }
        return new Measurement(hz, f0Hz, talker, label, learn == null || learn.asBoolean());
    }

    private static double positive(String name, JsonNode v) {
        if (v == null || !v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException("\"" + name + "\" must be a positive number of Hz, got " + v);
        }
        return v.asDouble();
    }

    private static String text(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}

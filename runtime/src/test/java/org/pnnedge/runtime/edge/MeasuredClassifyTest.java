package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.audio.TalkerEstimate;
import org.pnnedge.models.data.FeatureLayout;

/**
 * Measurement requests ({"formantsHz":[...],"f0Hz":…,"talker":…}): the service computes the answering model's
 * features, and a named talker's G carries over from request to request. A device without noise or drift makes
 * two requests with the same features answer identically, so the service's features can be checked exactly
 * against the ones a client would have computed.
 */
class MeasuredClassifyTest {
    private static final String QUIET = "emulator:shg?seed=1&timing=zero&noise=off&drift=off";
    /** A man's heed, had, who'd, hod (steady state, then 20/50/80 %), Hillenbrand-like values, and their F0. */
    private static final double[][] WORDS = {
            {342, 2322, 3000, 350, 2290, 2990, 340, 2330, 3010, 345, 2300, 2980},
            {588, 1952, 2601, 580, 1980, 2610, 600, 1940, 2590, 620, 1800, 2580},
            {304, 1105, 2240, 320, 1250, 2250, 300, 1100, 2230, 310, 1150, 2250},
            {768, 1333, 2522, 760, 1350, 2530, 770, 1330, 2520, 740, 1300, 2530}};
    private static final String[] LABELS = {"iy", "ae", "uw", "ah"};
    private static final double F0 = 131;

    private static EdgeService start(Path state, String bundle) throws Exception {
        return EdgeService.start(EdgeServiceTest.config(state, QUIET, "bundle.initial",
                EdgeServiceTest.root().resolve("src/dist/models/" + bundle).toString()));
    }

    private static JsonNode ask(Path state, ObjectNode req) throws Exception {
        req.put("op", "classify");
        return ControlServer.request(state.resolve("control.sock"), req, Duration.ofSeconds(10));
    }

    private static ObjectNode measurement(double[] hz, double f0, String talker) {
        ObjectNode r = ControlServer.MAPPER.createObjectNode();
        ArrayNode a = r.putArray("formantsHz");
        for (double v : hz) {
            a.add(v);
        }
        if (!Double.isNaN(f0)) {
            r.put("f0Hz", f0);
        }
        if (talker != null) {
            r.put("talker", talker);
        }
        return r;
    }

    private static ObjectNode features(double[] f) {
        ObjectNode r = ControlServer.MAPPER.createObjectNode();
        ArrayNode a = r.putArray("features");
        for (double v : f) {
            a.add(v);
        }
        return r;
    }

    private static double[] probabilities(JsonNode answer) {
        assertTrue(answer.has("probabilities"), answer.toString());
        return ControlServer.MAPPER.convertValue(answer.get("probabilities"), double[].class);
    }

    @Test
    void aMeasurementIsClassifiedInTheFeaturesOfTheModelsLayout(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7-talker13.pnnb")) {
            for (double[] hz : WORDS) {
                JsonNode measured = ask(state, measurement(hz, F0, null));
                JsonNode given = ask(state, features(FeatureLayout.TALKER13.features(hz, F0)));
                assertEquals("talker13", measured.get("featureLayout").asText());
                assertArrayEquals(probabilities(given), probabilities(measured), 1e-12, measured.toString());
                assertEquals(0, measured.get("warnings").size(), measured.toString());
                assertFalse(measured.has("talker"), "no talker named, none reported");
            }
        }
    }

    @Test
    void aHz12ModelTakesAMeasurementWithoutF0(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7.pnnb")) {
            JsonNode measured = ask(state, measurement(WORDS[0], Double.NaN, null));
            JsonNode given = ask(state, features(FeatureLayout.HZ12.features(WORDS[0], Double.NaN)));
            assertEquals("hz12", measured.get("featureLayout").asText());
            assertArrayEquals(probabilities(given), probabilities(measured), 1e-12, measured.toString());
        }
    }

    @Test
    void aTalkersEstimateCarriesOverFromRequestToRequest(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7-talker13.pnnb")) {
            TalkerEstimate replica = new TalkerEstimate(Talkers.WINDOW); // what the service should be keeping
            for (int i = 0; i < WORDS.length; i++) {
                double g = replica.talkerG();
                JsonNode measured = ask(state, measurement(WORDS[i], F0, "kiosk-1"));
                JsonNode given = ask(state, features(FeatureLayout.TALKER13.features(WORDS[i], F0, g)));
                assertArrayEquals(probabilities(given), probabilities(measured), 1e-12,
                        "word " + i + " is classified with the G of the words before it: " + measured);
                boolean learned = replica.add(WORDS[i], F0, measured.get("label").asText(),
                        measured.get("confidence").asDouble());
                JsonNode t = measured.get("talker");
                assertEquals("kiosk-1", t.get("id").asText());
                assertEquals(learned, t.get("learned").asBoolean(), measured.toString());
                assertEquals(replica.vowels(), t.get("vowels").asInt(), measured.toString());
            }
            assertTrue(replica.vowels() > 0, "a man's clear vowels are confident enough to be learned");
            // another talker starts afresh: its first word is classified with G from its F0
            JsonNode other = ask(state, measurement(WORDS[0], F0, "kiosk-2"));
            JsonNode first = ask(state, features(FeatureLayout.TALKER13.features(WORDS[0], F0)));
            assertArrayEquals(probabilities(first), probabilities(other), 1e-12, other.toString());
        }
    }

    @Test
    void aPromptedWordIsLearnedAsTheWordAsked(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7-talker13.pnnb")) {
            TalkerEstimate replica = new TalkerEstimate(Talkers.WINDOW);
            for (int i = 0; i < WORDS.length; i++) {
                ObjectNode req = measurement(WORDS[i], F0, "enrol-1");
                req.put("label", LABELS[i]);
                JsonNode a = ask(state, req);
                replica.add(WORDS[i], F0, LABELS[i]);
                assertTrue(a.get("talker").get("learned").asBoolean(), a.toString());
                assertEquals(Math.round(replica.formantMeanHz() * 10) / 10.0,
                        a.get("talker").get("formant_mean_hz").asDouble(), 1e-9, a.toString());
            }
            ObjectNode wrong = measurement(WORDS[0], F0, "enrol-1");
            wrong.put("label", "xx");
            assertBadRequest(ask(state, wrong), "'xx' is not one of the model's labels");
        }
    }

    @Test
    void aVoiceOutsideTheTrainedRangeIsAnsweredWithAWarningAndNotLearned(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7-talker13.pnnb")) {
            JsonNode a = ask(state, measurement(WORDS[0], 40, "low-1"));
            assertTrue(a.get("warnings").get(0).asText().contains("F0 40 Hz is outside the voices"), a.toString());
            assertFalse(a.get("talker").get("learned").asBoolean(), a.toString());
            assertEquals(0, a.get("talker").get("vowels").asInt(), a.toString());
        }
    }

    @Test
    void aDoubtedVowelGetsTheTalkersGButIsNotLearned(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7-talker13.pnnb")) {
            JsonNode first = ask(state, measurement(WORDS[0], F0, "desk-2"));
            TalkerEstimate replica = new TalkerEstimate(Talkers.WINDOW);
            replica.add(WORDS[0], F0, first.get("label").asText(), first.get("confidence").asDouble());
            ObjectNode doubted = measurement(WORDS[1], F0, "desk-2");
            doubted.put("learn", false);
            JsonNode a = ask(state, doubted);
            JsonNode given = ask(state, features(FeatureLayout.TALKER13.features(WORDS[1], F0, replica.talkerG())));
            assertArrayEquals(probabilities(given), probabilities(a), 1e-12, "classified with the talker's G: " + a);
            assertFalse(a.get("talker").get("learned").asBoolean(), a.toString());
            assertEquals(1, a.get("talker").get("vowels").asInt(), "only the first word: " + a);
            ObjectNode notBoolean = measurement(WORDS[1], F0, "desk-2");
            notBoolean.put("learn", "no");
            assertBadRequest(ask(state, notBoolean), "\"learn\" must be true or false");
        }
    }

    @Test
    void badMeasurementsAreRefusedByName(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7-talker13.pnnb")) {
            assertBadRequest(ask(state, measurement(new double[11], F0, null)), "\"formantsHz\" must be 12 numbers");
            double[] negative = WORDS[0].clone();
            negative[4] = -5;
            assertBadRequest(ask(state, measurement(negative, F0, null)), "\"formantsHz[4]\" must be a positive");
            assertBadRequest(ask(state, measurement(WORDS[0], -1, null)), "\"f0Hz\" must be a positive");
            assertBadRequest(ask(state, measurement(WORDS[0], Double.NaN, null)),
                    "talker13 needs F0: give the vowel's F0 in Hz as f0Hz");
            assertBadRequest(ask(state, measurement(WORDS[0], F0, "no spaces please")), "\"talker\" must be 1-64");
            assertBadRequest(ask(state, measurement(WORDS[0], F0, "x".repeat(65))), "\"talker\" must be 1-64");
            ObjectNode both = measurement(WORDS[0], F0, null);
            both.putArray("features").add(1);
            assertBadRequest(ask(state, both), "not both");
            ObjectNode labelOnly = measurement(WORDS[0], F0, null);
            labelOnly.put("label", "iy");
            assertBadRequest(ask(state, labelOnly), "needs a \"talker\"");
            ObjectNode textF0 = measurement(WORDS[0], Double.NaN, null);
            textF0.put("f0Hz", "high");
            assertBadRequest(ask(state, textF0), "\"f0Hz\" must be a positive");
        }
    }

    private static void assertBadRequest(JsonNode answer, String named) {
        assertEquals("bad_request", answer.path("error").path("kind").asText(), answer.toString());
        assertTrue(answer.path("error").path("message").asText().contains(named), answer.toString());
    }

    @Test
    void theStatusCountsTheTalkersKeptAndThoseForgottenPastTheBound(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state, "vowels7-talker13.pnnb")) {
            ask(state, measurement(WORDS[0], F0, null)); // no talker: kept by nobody, not counted
            String[] ids = {"kiosk-1", "kiosk-2", "desk-3"};
            for (double[] hz : WORDS) {
                for (String id : ids) {
                    ask(state, measurement(hz, F0, id));
                }
            }
            assertTalkers(state, s, ids.length, 0, (long) WORDS.length * ids.length);
            for (int i = 0; i < Talkers.MAX_TALKERS; i++) { // as many new talkers as the bound: 3 must go
                ask(state, measurement(WORDS[i % WORDS.length], F0, "visitor-" + i));
            }
            assertTalkers(state, s, Talkers.MAX_TALKERS, ids.length,
                    (long) WORDS.length * ids.length + Talkers.MAX_TALKERS);
        }
    }

    /** The control socket's status and the one telemetry sends both show the talkers block. */
    private static void assertTalkers(Path state, EdgeService s, int kept, long forgotten, long requests)
            throws Exception {
        ObjectNode op = ControlServer.MAPPER.createObjectNode().put("op", "status");
        JsonNode viaSocket = ControlServer.request(state.resolve("control.sock"), op, Duration.ofSeconds(10));
        for (JsonNode status : new JsonNode[] {viaSocket, s.status()}) {
            JsonNode t = status.path("talkers");
            assertEquals(kept, t.path("kept").asInt(-1), t.toString());
            assertEquals(Talkers.MAX_TALKERS, t.path("max").asInt(-1), t.toString());
            assertEquals(forgotten, t.path("forgotten").asLong(-1), t.toString());
            assertEquals(requests, t.path("requests").asLong(-1), t.toString());
        }
    }

    @Test
    void theLeastRecentlyHeardTalkerIsForgottenBeyondTheBound() {
        Talkers t = new Talkers(3);
        TalkerEstimate a = t.of("a");
        t.of("b");
        t.of("c");
        assertTrue(a == t.of("a"), "a known talker keeps its estimate");
        t.of("d"); // b is now the least recently heard
        assertEquals(3, t.size());
        assertEquals(1, t.counts().forgotten());
        assertTrue(a == t.of("a"), "a was heard after b");
        assertEquals(1, t.counts().forgotten(), "asking for a remembered talker forgets nobody");
        t.of("b");
        assertEquals(2, t.counts().forgotten(), "b came back as a new talker, forgetting c");
        assertEquals(new Talkers.Counts(3, 3, 2, 7), t.counts(), "7 requests named a talker");
    }
}

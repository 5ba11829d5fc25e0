package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.runtime.TestKeys;
import org.pnnedge.runtime.cli.CliTest.Result;

/**
 * {@code pnn demo --bundle}: a bundle in another feature layout than the shipped hz12 runs the whole demo in its
 * layout (held-out talkers, words and the update), and a bundle the demo cannot serve is refused by name before
 * anything starts.
 */
class DemoLayoutCliTest {
    static final String DEVICE = "emulator:shg?seed=1&timing=zero";

    @TempDir
    Path dir;

    @Test
    void aSmallTalker13BundleRunsTheWholeDemoInItsLayout() throws Exception {
        // a quickly made talker13 bundle: 2 heard talkers a group (seed 11, not the demo's held-out seed), 1 layer
        Path csv = dir.resolve("t13.csv");
        Result d = CliTest.run("data", "synth", "--heard", "--groups", "all", "--talkers", "2", "--seed", "11",
                "--units", "talker13", "--out", csv.toString());
        assertEquals(0, d.exit(), d.out() + d.err());
        Path bundle = dir.resolve("t13.pnnb");
        Result t = CliTest.run("train", "--data", csv.toString(), "--device", DEVICE, "--layers", "1", "--epochs", "3",
                "--samples", "600", "--validation", "0", "--feature-layout", "talker13", "--version", "2.3.4",
                "--out", bundle.toString());
        assertEquals(0, t.exit(), t.out() + t.err());

        Path json = dir.resolve("summary.json");
        Result r = CliTest.run("demo", "--bundle", bundle.toString(), "--trust", TestKeys.devPublic().toString(),
                "--held-out-talkers", "1", "--json-summary", json.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode s = Json.MAPPER.readTree(json.toFile());
        assertEquals("talker13", s.get("feature_layout").asText(), s.toString());
        assertTrue(r.out().contains("feature layout talker13") && r.out().contains("bundle " + bundle), r.out());
        int heldOut = s.get("held_out_vowels").asInt(); // 1 talker a group, 7 vowels, less any the front end drops
        assertTrue(heldOut > 20 && heldOut <= 28, s.toString());
        assertEquals(21, s.get("heard").get("words").asInt(), s.toString());
        for (String g : List.of("men", "women", "boys", "girls", "children")) {
            assertTrue(s.get("accuracy_by_group").has(g), s.toString());
        }
        // the summary names what was served (not the default 1.0.0), and the update is its next minor version
        assertEquals("vowels7", s.path("served").path("model_id").asText(), s.toString());
        assertEquals("2.3.4", s.path("served").path("version").asText(), s.toString());
        // the update is trained in the bundle's layout and served in it: well above the 1/7 of a wrong layout
        JsonNode ota = s.get("ota");
        assertEquals("2.4.0", ota.get("applied_version").asText(), s.toString());
        assertEquals("talker13", ota.get("feature_layout").asText(), s.toString());
        assertTrue(ota.get("accuracy_after_update").asDouble() > 0.5, s.toString());
        assertTrue(ota.get("rejected_tampered").asBoolean(), s.toString());
        assertTrue(r.out().contains("--bundle " + bundle + " --trust "), "the printed pnn listen line: " + r.out());
    }

    @Test
    void aBundleTheDemoCannotServeIsRefusedByName() throws Exception {
        Path shipped = DemoCommand.home().resolve(DemoCommand.SHIPPED);
        BundleManifest m = Bundles.load(shipped, TrustedKeys.load(TestKeys.release())).manifest();
        Path unknown = write("mfcc.pnnb", new BundleManifest(m.formatVersion(), m.modelId(), m.version(), m.created(),
                m.labels(), m.normalization(), "mfcc20", m.device(), m.network(), m.twin(), m.probes(),
                m.provenance(), m.metrics()));
        Result r = CliTest.run("demo", "--bundle", unknown.toString(), "--trust", TestKeys.devPublic().toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("the demo cannot serve feature layout 'mfcc20'"), r.err());
        assertTrue(r.err().contains("talker13"), "names the layouts it knows: " + r.err());
        assertTrue(r.out().isEmpty(), "nothing started: " + r.out());

        Path digits = write("digits.pnnb", new BundleManifest(m.formatVersion(), m.modelId(), m.version(),
                m.created(), List.of("0", "1", "2", "3", "4", "5", "6"), m.normalization(), null, m.device(),
                m.network(), m.twin(), m.probes(), m.provenance(), m.metrics()));
        Result labels = CliTest.run("demo", "--bundle", digits.toString(), "--trust", TestKeys.devPublic().toString());
        assertEquals(2, labels.exit(), labels.out() + labels.err());
        assertTrue(labels.err().contains("not all Hillenbrand vowel codes"), labels.err());

        Path stranger = dir.resolve("stranger.pnnb"); // signed by a key nobody trusts: refused as the service would
        Files.write(stranger, Bundles.sign(m, org.pnnedge.models.bundle.KeyFiles.generate(false)));
        Result untrusted = CliTest.run("demo", "--bundle", stranger.toString());
        assertEquals(ErrorHandler.EXIT_BUNDLE, untrusted.exit(), untrusted.out() + untrusted.err());
        assertTrue(untrusted.err().contains("UNTRUSTED_KEY"), untrusted.err());
    }

    private Path write(String name, BundleManifest m) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, Bundles.sign(m, TestKeys.dev()));
        return f;
    }
}

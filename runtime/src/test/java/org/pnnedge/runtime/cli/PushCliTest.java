package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.runtime.demo.EmbeddedBroker;
import org.pnnedge.runtime.edge.EdgeService;
import org.pnnedge.runtime.config.RuntimeConfig;

/** `pnn push` against a running service through a real broker: a good bundle applies, a tampered one is refused. */
class PushCliTest {
    @Test
    void pushAppliesAGoodBundleAndReportsARefusal(@TempDir Path dir) throws Exception {
        Path home = DemoCommand.home();
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             EdgeService service = EdgeService.start(RuntimeConfig.load(null, Map.of(), Map.of(
                     "device.uri", "emulator:shg?seed=1&timing=zero&noise=off&drift=off",
                     "device.id", "push-test", "state.dir", dir.resolve("state").toString(),
                     "bundle.initial", home.resolve("src/dist/models/vowels7.pnnb").toString(),
                     "bundle.trusted_keys", org.pnnedge.runtime.TestKeys.releaseAndDev().toString(),
                     "bundle.allow_development_keys", "true", "mqtt.broker", broker.uri(),
                     "recal.interval", "PT0S")))) {
            // a bundle pushed before the device has subscribed would never reach it
            assertTrue(service.awaitMqtt(java.time.Duration.ofSeconds(60)), "service connected to the broker");
            // a quiet device (no noise, no drift): the shipped probes were recorded at another drift state, so
            // re-sign the manifest with probes taken now, as an offline trainer would
            byte[] good = Bundles.sign(org.pnnedge.runtime.edge.EdgeServiceTestAccess.freshProbes(service, "1.0.1"),
                    org.pnnedge.runtime.TestKeys.dev());
            Path goodFile = dir.resolve("good.pnnb");
            Files.write(goodFile, good);
            CliTest.Result ok = CliTest.run("push", "--bundle", goodFile.toString(), "--device", "push-test",
                    "--broker", broker.uri(), "--timeout", "120s");
            assertEquals(0, ok.exit(), ok.out() + ok.err());
            assertEquals("1.0.1", service.engine().version());

            byte[] older = Bundles.sign(service.bundle().manifest().withVersion(SemVer.parse("0.9.0")),
                    org.pnnedge.runtime.TestKeys.dev());
            Path olderFile = dir.resolve("older.pnnb");
            Files.write(olderFile, older);
            CliTest.Result refused = CliTest.run("push", "--bundle", olderFile.toString(), "--device", "push-test",
                    "--broker", broker.uri(), "--timeout", "120s");
            assertEquals(4, refused.exit(), refused.out() + refused.err());
            assertTrue((refused.out() + refused.err()).toLowerCase().contains("downgrade"), refused.out() + refused.err());
            assertEquals("1.0.1", service.engine().version());

            // the publisher cannot grant itself the downgrade: only the device's ota.allow_downgrade could
            CliTest.Result asked = CliTest.run("push", "--bundle", olderFile.toString(), "--device", "push-test",
                    "--broker", broker.uri(), "--timeout", "120s", "--allow-downgrade", "--update-id", "asked");
            assertEquals(4, asked.exit(), asked.out() + asked.err());
            assertTrue((asked.out() + asked.err()).toLowerCase().contains("downgrade"), asked.out() + asked.err());
            assertEquals("1.0.1", service.engine().version());
        }
    }

    /** The help must not promise what only the device's own configuration grants (ota.md, "Version floor"). */
    @Test
    void allowDowngradeHelpSaysTheDeviceMustAllowIt() {
        CliTest.Result r = CliTest.run("push", "--help");
        assertEquals(0, r.exit(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--allow-downgrade Ask the device to accept"), help);
        assertTrue(help.contains("ignores it unless its own ota.allow_downgrade=true"), help);
    }
}

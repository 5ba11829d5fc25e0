package org.pnnedge.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.pnnedge.bridge.fuzz.Fuzz;

/**
 * The bundle reader's contract on hostile files: a verified bundle or a {@link BundleException} with a reason and a
 * message — for random bytes, mutated signed bundles (plain and gzip), mutated manifests signed by a trusted key (so
 * the mutation reaches the manifest parser), gzip bombs and deeply nested JSON.
 */
class BundleFuzzTest {
    private static final SigningKey KEY = KeyFiles.generate(false);
    private static final TrustedKeys TRUSTED = TrustedKeys.of(KEY.trusted());
    private static final byte[] SIGNED = Bundles.sign(Samples.manifest(), KEY, false);
    private static final byte[] SIGNED_GZIP = Bundles.sign(Samples.manifest(), KEY, true);
    private static final byte[] MANIFEST = ManifestJson.write(Samples.manifest());

    /** Loads (verified) and inspects (unverified); both may only refuse with a BundleException. */
    private static void read(byte[] file) {
        for (Fuzz.Parse p : new Fuzz.Parse[] {() -> Bundles.load(file, TRUSTED), () -> Bundles.inspect(file)}) {
            if (Fuzz.accepted(p, BundleException.class) instanceof BundleException e) {
                assertNotNull(e.reason());
            }
        }
    }

    @Property
    void randomBytesAreRefused(@ForAll @Size(max = 300) byte[] bytes) {
        read(bytes);
    }

    @Property
    void mutatedSignedBundlesLoadOrAreRefused(@ForAll long seed) {
        read(Fuzz.mutate(SIGNED, seed));
    }

    @Property
    void mutatedGzipBundlesLoadOrAreRefused(@ForAll long seed) {
        read(Fuzz.mutate(SIGNED_GZIP, seed));
    }

    @Property
    void mutatedManifestsSignedByATrustedKeyLoadOrAreRefused(@ForAll long seed) throws Exception {
        read(Samples.envelope(Fuzz.mutate(MANIFEST, seed), KEY));
    }

    @Property
    void mutatedManifestJsonParsesOrIsRefused(@ForAll long seed) {
        byte[] m = Fuzz.mutate(MANIFEST, seed);
        Fuzz.accepted(() -> ManifestJson.read(m), BundleException.class);
    }

    @Example
    void aGzipBombIsRefusedAsOversize() throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 64; i++) { // 64 MiB of zeros, 4x the default limit, in ~64 KB
                gz.write(block);
            }
        }
        BundleException e = assertInstanceOf(BundleException.class,
                Fuzz.accepted(() -> Bundles.inspect(z.toByteArray()), BundleException.class));
        assertEquals(BundleException.Reason.OVERSIZE, e.reason());
    }

    @Example
    void deeplyNestedJsonIsRefused() throws Exception {
        byte[] deep = ("[".repeat(200_000) + "]".repeat(200_000)).getBytes(StandardCharsets.US_ASCII);
        byte[] deepObject = ("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        read(deep);
        read(deepObject);
        read(Samples.envelope(deep, KEY)); // as a signed manifest, past the signature check
        read(Samples.envelope(deepObject, KEY));
    }

    @Example
    void regressionSeedsAreRefused() {
        Fuzz.corpus(BundleFuzzTest.class, "bundle").forEach(BundleFuzzTest::read);
    }
}

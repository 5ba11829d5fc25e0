package org.pnnedge.bridge.tls;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the {@code openssl} command line, as a user would make theirs (protocol.md,
 * "Authentication"): by {@link #create}, a CA, a bridge certificate for {@code IP:127.0.0.1, DNS:localhost}, a
 * client certificate, and a rogue CA with its own client and bridge certificates. EC P-256 keys, mode 0600. Shared
 * through the bridge's test-jar: the runtime's MQTT TLS tests make their own set with {@link #empty}, {@link #key},
 * {@link #ca} and {@link #leaf}.
 */
public final class TestPki {
    /** The name in the certificate of {@code wrong_name_ext}: signed by the CA, but for another host. */
    public static final String WRONG_NAME = "broker.example.invalid";

    /**
     * The extension sections {@link #ca} and {@link #leaf} name: {@code ca_ext}, {@code server_ext} (for
     * {@code IP:127.0.0.1, DNS:localhost}), {@code wrong_name_ext} (for {@link #WRONG_NAME} only), {@code client_ext}.
     */
    private static final String CNF = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = unused
            [ca_ext]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            [server_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1, DNS:localhost
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [wrong_name_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:%s
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [client_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = clientAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """.formatted(WRONG_NAME);

    private final Path dir;
    private final Path openssl;

    private TestPki(Path dir, Path openssl) {
        this.dir = dir;
        this.openssl = openssl;
    }

    /** The openssl binary, if installed. */
    public static Optional<Path> openssl() {
        return tool("openssl");
    }

    /** An executable named {@code name} on PATH or in the usual bin and sbin directories. */
    public static Optional<Path> tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/opt/homebrew/bin",
                "/opt/homebrew/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Optional.of(Path.of(d, name));
            }
        }
        return Optional.empty();
    }

    /** Makes every key and certificate in {@code dir}. */
    public static TestPki create(Path openssl, Path dir) throws Exception {
        TestPki p = empty(openssl, dir);
        p.ca("ca", "/CN=PNN Test CA");
        p.ca("rogue-ca", "/CN=Rogue CA");
        p.leaf("server", "/CN=bridge", "ca", "server_ext");
        p.leaf("client", "/CN=pnn-host", "ca", "client_ext");
        p.leaf("rogue-client", "/CN=intruder", "rogue-ca", "client_ext");
        p.leaf("rogue-server", "/CN=bridge", "rogue-ca", "server_ext");
        return p;
    }

    /** No key or certificate yet, only {@code dir/openssl.cnf} with the extension sections {@link #leaf} names. */
    public static TestPki empty(Path openssl, Path dir) throws Exception {
        Files.writeString(dir.resolve("openssl.cnf"), CNF);
        return new TestPki(dir, openssl);
    }

    /** The bridge's files: its certificate and key, and the CA of client certificates. */
    public TlsFiles server() {
        return files("server", "ca");
    }

    /** A host's files: its certificate and key, and the CA of the bridge's certificate. */
    public TlsFiles client() {
        return files("client", "ca");
    }

    /** A client certificate the bridge does not trust (another CA). */
    public TlsFiles rogueClient() {
        return files("rogue-client", "ca");
    }

    /** A bridge certificate the host does not trust (another CA). */
    public TlsFiles rogueServer() {
        return files("rogue-server", "ca");
    }

    /** {@code leaf}'s certificate and key, with {@code ca}'s certificate as the one to trust. */
    public TlsFiles files(String leaf, String ca) {
        return new TlsFiles(dir.resolve(leaf + ".crt"), dir.resolve(leaf + ".key"), dir.resolve(ca + ".crt"));
    }

    /** Where the files are. */
    public Path dir() {
        return dir;
    }

    /** An EC P-256 key {@code name.key} (PKCS#8), mode 0600; {@link #ca} and {@link #leaf} make it if it is missing. */
    public void key(String name) throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        Files.setPosixFilePermissions(dir.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
    }

    /** A self-signed CA {@code name.crt} (extension section {@code ca_ext}), valid two days. */
    public void ca(String name, String subject) throws Exception {
        keyUnlessPresent(name);
        openssl("req", "-new", "-x509", "-config", "openssl.cnf", "-extensions", "ca_ext", "-key", name + ".key",
                "-subj", subject, "-days", "2", "-sha256", "-out", name + ".crt");
    }

    /** A certificate {@code name.crt} signed by {@code ca} with the extension section {@code ext}, valid two days. */
    public void leaf(String name, String subject, String ca, String ext) throws Exception {
        keyUnlessPresent(name);
        openssl("req", "-new", "-config", "openssl.cnf", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-set_serial", "0x" + HexFormat.of().formatHex(serial()), "-days", "2", "-sha256",
                "-extfile", "openssl.cnf", "-extensions", ext, "-out", name + ".crt");
    }

    /** Runs {@code openssl args...} in {@link #dir}. */
    public void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(openssl.toString());
        cmd.addAll(List.of(args));
        run(dir, cmd.toArray(new String[0]));
    }

    /** Runs {@code cmd} in {@code dir} (30 s at most), failing with its output when it fails. */
    public static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + out);
        }
    }

    private void keyUnlessPresent(String name) throws Exception {
        if (!Files.exists(dir.resolve(name + ".key"))) {
            key(name);
        }
    }

    /** A random positive 64-bit serial: certificates of one CA must not share one. */
    private static byte[] serial() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x01;
        return b;
    }
}

package org.pnnedge.bridge.tls;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the {@code openssl} command line, as a user would make theirs (protocol.md,
 * "Authentication"): a CA, a bridge certificate for {@code IP:127.0.0.1, DNS:localhost}, a client certificate, and a
 * rogue CA with its own client and bridge certificates. EC P-256 keys, mode 0600.
 */
public final class TestPki {
    private static final String CNF = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = unused
            [ca_ext]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            [server_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1, DNS:localhost
            [client_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = clientAuth
            """;

    private final Path dir;
    private final Path openssl;

    private TestPki(Path dir, Path openssl) {
        this.dir = dir;
        this.openssl = openssl;
    }

    /** The openssl binary, if installed. */
    public static Optional<Path> openssl() {
        for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "openssl"))) {
                return Optional.of(Path.of(d, "openssl"));
            }
        }
        return Optional.empty();
    }

    /** Makes every key and certificate in {@code dir}. */
    public static TestPki create(Path openssl, Path dir) throws Exception {
        TestPki p = new TestPki(dir, openssl);
        Files.writeString(dir.resolve("openssl.cnf"), CNF);
        p.ca("ca", "/CN=PNN Test CA");
        p.ca("rogue-ca", "/CN=Rogue CA");
        p.leaf("server", "/CN=bridge", "ca", "server_ext");
        p.leaf("client", "/CN=pnn-host", "ca", "client_ext");
        p.leaf("rogue-client", "/CN=intruder", "rogue-ca", "client_ext");
        p.leaf("rogue-server", "/CN=bridge", "rogue-ca", "server_ext");
        return p;
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

    public TlsFiles files(String leaf, String ca) {
        return new TlsFiles(dir.resolve(leaf + ".crt"), dir.resolve(leaf + ".key"), dir.resolve(ca + ".crt"));
    }

    public Path dir() {
        return dir;
    }

    private void key(String name) throws Exception {
        run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        Files.setPosixFilePermissions(dir.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
    }

    private void ca(String name, String subject) throws Exception {
        key(name);
        run("req", "-new", "-x509", "-config", "openssl.cnf", "-extensions", "ca_ext", "-key", name + ".key",
                "-subj", subject, "-days", "2", "-sha256", "-out", name + ".crt");
    }

    private void leaf(String name, String subject, String ca, String ext) throws Exception {
        key(name);
        run("req", "-new", "-config", "openssl.cnf", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        run("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", "2", "-sha256", "-extfile", "openssl.cnf", "-extensions", ext, "-out", name + ".crt");
    }

    private void run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(openssl.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl failed: " + String.join(" ", cmd) + "\n" + out);
        }
    }
}

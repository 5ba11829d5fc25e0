package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.pnnedge.runtime.io.AtomicFiles;

/**
 * The cluster's private CA and the broker certificate (for {@code localhost} and {@code 127.0.0.1}), made once with
 * the {@code openssl} command line: {@code ca.pem} (0644, what devices trust), {@code ca.key} and
 * {@code broker.pem} (certificate + key, 0600).
 */
final class BrokerPki {
    private BrokerPki() {
    }

    /** Creates the files unless {@code ca.pem} and {@code broker.pem} exist. */
    static void ensure(Path dir) throws IOException {
        if (Files.exists(dir.resolve("ca.pem")) && Files.exists(dir.resolve("broker.pem"))) {
            return;
        }
        AtomicFiles.createPrivateDirectories(dir);
        Files.writeString(dir.resolve("broker.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        String curve = "ec_paramgen_curve:P-256";
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "3650", "-subj", "/CN=PNN fleet cluster CA");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", "broker.key", "-out", "broker.csr",
                "-subj", "/CN=localhost");
        openssl(dir, "x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "broker.crt", "-days", "825", "-extfile", "broker.ext");
        byte[] pem = (Files.readString(dir.resolve("broker.crt")) + Files.readString(dir.resolve("broker.key")))
                .getBytes(StandardCharsets.US_ASCII);
        AtomicFiles.write(dir.resolve("broker.pem"), pem);
        for (String f : List.of("broker.key", "broker.csr", "broker.crt", "broker.ext", "ca.srl")) {
            Files.deleteIfExists(dir.resolve(f));
        }
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("ca.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl " + args[0] + " took more than 60 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
    }
}

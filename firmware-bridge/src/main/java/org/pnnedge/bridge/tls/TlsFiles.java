package org.pnnedge.bridge.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The three PEM files of one end of a mutually authenticated TLS connection: this end's certificate (chain), its
 * private key, and the CA certificate(s) the other end's certificate must chain to. The key file must be readable
 * by its owner only (mode 0600 or 0400) wherever the file system has POSIX permissions.
 *
 * @param cert this end's certificate, PEM (leaf first, intermediates after it)
 * @param key  its private key, PEM (PKCS#8 or PKCS#1 RSA), unencrypted
 * @param ca   the CA certificate(s) trusted to sign the other end's certificate, PEM
 */
public record TlsFiles(Path cert, Path key, Path ca) {
    private static final Set<PosixFilePermission> FOREIGN = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    public TlsFiles {
        Objects.requireNonNull(cert, "TLS certificate file");
        Objects.requireNonNull(key, "TLS key file");
        Objects.requireNonNull(ca, "TLS CA file");
    }

    /**
     * Checks that the three files exist and the key is private to its owner.
     *
     * @throws IOException naming the file and what is wrong (never the key's content)
     */
    public void check() throws IOException {
        for (Path p : new Path[] {cert, key, ca}) {
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new IOException("TLS file " + p + " does not exist or is not readable");
            }
        }
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
            perms.retainAll(FOREIGN);
            if (!perms.isEmpty()) {
                throw new IOException("TLS key file " + key + " is readable or writable by others (" + perms
                        + "); make it private: chmod 600 " + key);
            }
        }
    }
}

package org.pnnedge.bridge.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS 1.3 with certificates on both sides for the device bridge (protocol.md, "Authentication"). The server demands
 * a client certificate that chains to its CA file; the client checks the server's certificate against its CA file
 * and, unless told otherwise, that it names the host it dialled. Nothing but TLS 1.3 is offered, so no downgrade to
 * an older version or a weak suite is possible.
 */
public final class DeviceTls {
    /** The only protocol version offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";
    private static final char[] NO_PASSWORD = new char[0];

    private DeviceTls() {
    }

    /**
     * An SSL context holding this end's certificate and key and trusting only the CA file.
     *
     * @throws IOException naming the file when one is missing, unreadable, not private (the key) or not usable
     */
    public static SSLContext context(TlsFiles files) throws IOException {
        files.check();
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<Certificate> cas = PemFiles.certificates(files.ca());
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            List<Certificate> chain = PemFiles.certificates(files.cert());
            PrivateKey key = PemFiles.privateKey(files.key());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("self", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
            SSLContext ctx = SSLContext.getInstance(PROTOCOL);
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use TLS files (certificate " + files.cert() + ", key " + files.key()
                    + ", CA " + files.ca() + "): " + e.getMessage(), e);
        }
    }

    /** Makes a listening socket speak TLS 1.3 only and require a client certificate. */
    public static void configureServer(SSLServerSocket server) {
        server.setEnabledProtocols(new String[] {PROTOCOL});
        server.setNeedClientAuth(true);
    }

    /**
     * Layers TLS over a connected socket and completes the handshake within the socket's current read timeout.
     *
     * @param verifyHost check that the server certificate names {@code host} (subjectAltName DNS or IP)
     * @throws IOException when the handshake fails (untrusted or missing certificate, wrong name, not TLS 1.3)
     */
    public static SSLSocket connect(SSLContext ctx, Socket plain, String host, int port, boolean verifyHost)
            throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        if (verifyHost) {
            p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818 name check, IP literals against IP SANs
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }
}

package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.pnnedge.bridge.tls.PemFiles;

/** Builds the TLS socket factory from PEM files with the JDK alone (no Bouncy Castle; {@link PemFiles} reads them). */
final class TlsSupport {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsSupport() {
    }

    /**
     * @throws GeneralSecurityException with a message naming the file when a certificate or key is unusable
     */
    static SSLSocketFactory socketFactory(MqttSettings.Tls tls) throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = null;
        if (tls.caFile().isPresent()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<Certificate> cas = PemFiles.certificates(tls.caFile().get());
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        KeyManagerFactory kmf = null;
        if (tls.clientCertFile().isPresent() && tls.clientKeyFile().isPresent()) {
            List<Certificate> chain = PemFiles.certificates(tls.clientCertFile().get());
            PrivateKey key = PemFiles.privateKey(tls.clientKeyFile().get());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    /** For messages: which TLS mode the settings select. */
    static String describe(Optional<MqttSettings.Tls> tls) {
        return tls.map(t -> "TLS (" + (t.caFile().map(p -> "CA " + p).orElse("default trust store"))
                + (t.mutual() ? ", client certificate" : "") + (t.verifyHostname() ? "" : ", NO hostname check")
                + ")").orElse("plain TCP");
    }
}

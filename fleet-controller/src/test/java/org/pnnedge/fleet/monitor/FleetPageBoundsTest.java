package org.pnnedge.fleet.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The page's HTTP server without a database (every page it answers is then a 503): clients that start a request and
 * never finish it, or that open connections and send nothing, cannot take the page away from the operator.
 */
class FleetPageBoundsTest {
    private static FleetPage page() throws IOException {
        FleetPage p = new FleetPage(null, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1.5);
        p.start();
        return p;
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Closed by the server within 3 s (well within the idle bound): end of stream, or a reset. */
    private static boolean disconnected(Socket s) throws IOException {
        s.setSoTimeout(3000);
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: the server closed it with our unread byte
        }
    }

    @Test
    void clientsThatNeverFinishTheirRequestAreCutAndThePageAnswersAgain() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try (FleetPage page = page()) {
            for (int i = 0; i < FleetPage.THREADS + 2; i++) { // one byte of a request line: a worker waits for the rest
                Socket s = new Socket(InetAddress.getLoopbackAddress(), page.port());
                stalled.add(s);
                s.getOutputStream().write("G".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + page.port() + "/")).timeout(Duration.ofSeconds(40)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), "answered (no database here), not stuck behind the stalled clients");
            for (Socket s : stalled) {
                assertTrue(disconnected(s), "a stalled client is disconnected");
            }
        } finally {
            closeAll(stalled);
        }
    }

    @Test
    void connectionsBeyondTheBoundAreClosedAtOnce() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try (FleetPage page = page()) {
            for (int i = 0; i < FleetPage.MAX_CONNECTIONS; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), page.port()));
            }
            Thread.sleep(300); // the server has accepted them
            try (Socket more = new Socket(InetAddress.getLoopbackAddress(), page.port())) {
                assertTrue(disconnected(more), "one connection more is closed at once");
            }
        } finally {
            closeAll(idle);
        }
    }

    @Test
    void failingRequestsAreAnsweredButLoggedAtABoundedRate() throws Exception {
        int n = 20;
        HttpClient c = HttpClient.newHttpClient();
        try (FleetPage page = page(); org.pnnedge.runtime.LogTee tee = org.pnnedge.runtime.LogTee.start()) {
            for (int i = 0; i < n; i++) {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + page.port()
                        + "/")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), "each request is answered (no database here)");
            }
            long lines = tee.text().lines().filter(l -> l.contains("fleet page: / failed")).count();
            assertTrue(lines >= 1 && lines <= 2, lines + " log lines for " + n + " failed requests");
        }
    }
}

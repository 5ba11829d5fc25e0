package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A broker the MQTT tests can stop and start again on the same port, keeping its persistent sessions. */
interface TestBroker extends AutoCloseable {
    String name();

    /** tcp://127.0.0.1:port */
    String uri();

    int port();

    void stop() throws Exception;

    void start() throws Exception;

    @Override
    void close();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static boolean waitForPort(int port, long millis, boolean open) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            boolean isOpen;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                isOpen = true;
            } catch (IOException e) {
                isOpen = false;
            }
            if (isOpen == open) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}

package org.pnnedge.bridge.transport.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.pnnedge.bridge.TransportException;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.tls.DeviceTls;
import org.pnnedge.bridge.transport.Transport;

/**
 * Frames over a TCP stream to a device bridge ({@code pnn device serve} or {@code pnn emulate}). The stream
 * carries the same frames as SPI; a lost response simply never arrives. The RESET line is reached through the
 * bridge-only LINE_RESET request. With TLS files the stream is TLS 1.3 and both ends show a certificate.
 */
public final class TcpTransport implements Transport {
    private final String host;
    private final int port;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] resetFrame = new byte[FrameCodec.OVERHEAD];
    private final byte[] resetReply = new byte[FrameCodec.MAX_FRAME];
    private final Duration resetTimeout;
    /** SO_TIMEOUT last set, in ms (0 = none yet): setSoTimeout boxes its argument, so skip unchanged values. */
    private int soTimeoutMillis;

    /** A plain connection; refused for a host beyond loopback (use {@link TcpEndpoint} with TLS). */
    public TcpTransport(String host, int port, Duration connectTimeout, Duration resetTimeout) {
        this(new TcpEndpoint(host, port), connectTimeout, resetTimeout);
    }

    /**
     * Connects as {@code endpoint} says: mutual TLS 1.3 when it has TLS files (handshake within
     * {@code connectTimeout}), else plain, which only a loopback host or {@code insecure_no_auth=on} allows.
     */
    public TcpTransport(TcpEndpoint endpoint, Duration connectTimeout, Duration resetTimeout) {
        this.host = endpoint.host();
        this.port = endpoint.port();
        this.resetTimeout = resetTimeout;
        Socket s = new Socket();
        try {
            SSLContext tls = endpoint.tls().isPresent() ? DeviceTls.context(endpoint.tls().get()) : null;
            InetSocketAddress where = new InetSocketAddress(host, port);
            if (tls == null && !endpoint.insecureNoAuth() && where.getAddress() != null
                    && !where.getAddress().isLoopbackAddress()) {
                throw new TransportException("refusing a plain, unauthenticated connection to tcp://" + host + ":"
                        + port + " (not loopback): give tls_cert, tls_key and tls_ca (protocol.md, "
                        + "\"Authentication\"), or insecure_no_auth=on on a network you trust completely");
            }
            s.setTcpNoDelay(true); // one small frame per request: Nagle would add 40 ms
            s.connect(where, (int) connectTimeout.toMillis());
            if (tls != null) {
                s.setSoTimeout((int) connectTimeout.toMillis());
                s = DeviceTls.connect(tls, s, host, port, endpoint.verifyHost());
                s.setSoTimeout(0);
            }
            socket = s;
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            closeQuietly(s);
            throw new TransportException("cannot connect to device bridge tcp://" + host + ":" + port
                    + (endpoint.tls().isPresent() ? " over mutual TLS" : "") + ": " + reason(e), e);
        } catch (TransportException e) {
            closeQuietly(s);
            throw e;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // failing anyway
        }
    }

    @Override
    public void send(byte[] frame, int length) {
        try {
            drain();
            out.write(frame, 0, length);
            out.flush();
        } catch (IOException e) {
            throw new TransportException("send to tcp://" + host + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    /** Drops bytes left over from a response we gave up on, so the next frame starts clean. */
    private void drain() throws IOException {
        int n;
        while ((n = in.available()) > 0) {
            in.skipNBytes(n);
        }
    }

    @Override
    public int receive(byte[] buf, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            // find the sync pair: after wire corruption the stream may hold junk
            int have = 0;
            while (have < 2) {
                if (!readFully(buf, have, 1, deadline)) {
                    return -1;
                }
                if (have == 0 && (buf[0] & 0xFF) == FrameCodec.SYNC0) {
                    have = 1;
                } else if (have == 1) {
                    if ((buf[1] & 0xFF) == FrameCodec.SYNC1) {
                        have = 2;
                    } else if ((buf[1] & 0xFF) == FrameCodec.SYNC0) {
                        have = 1;
                    } else {
                        have = 0;
                    }
                }
            }
            if (!readFully(buf, 2, FrameCodec.HEADER_BYTES - 2, deadline)) {
                return -1;
            }
            int total = FrameCodec.frameLength(buf);
            if (total > FrameCodec.MAX_FRAME) {
                return FrameCodec.HEADER_BYTES;
            }
            if (!readFully(buf, FrameCodec.HEADER_BYTES, total - FrameCodec.HEADER_BYTES, deadline)) {
                return -1;
            }
            return total;
        } catch (IOException e) {
            throw new TransportException("receive from tcp://" + host + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    private boolean readFully(byte[] buf, int off, int len, long deadline) throws IOException {
        int done = 0;
        while (done < len) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            int ms = (int) Math.max(1, left / 1_000_000);
            if (ms != soTimeoutMillis) {
                socket.setSoTimeout(ms);
                soTimeoutMillis = ms;
            }
            try {
                int n = in.read(buf, off + done, len - done);
                if (n < 0) {
                    throw new IOException("connection closed by the bridge");
                }
                done += n;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void pulseReset() {
        // version 1: LINE_RESET is as old as the protocol, so a bridge of either version understands it
        int len = FrameCodec.seal(resetFrame, FrameCodec.MIN_VERSION, Opcode.LINE_RESET.code(), 0, 0, 0);
        send(resetFrame, len);
        long deadline = System.nanoTime() + resetTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            int n = receive(resetReply, deadline - System.nanoTime());
            if (n < 0) {
                break;
            }
            if (FrameCodec.check(resetReply, n) == null
                    && FrameCodec.opcodeByte(resetReply) == (Opcode.LINE_RESET.code() | Opcode.RESPONSE_BIT)) {
                if (FrameCodec.status(resetReply) != Status.OK.code()) {
                    throw new TransportException("bridge tcp://" + host + ":" + port + " could not pulse RESET (status "
                            + FrameCodec.status(resetReply) + ")");
                }
                return;
            }
        }
        throw new TransportException("bridge tcp://" + host + ":" + port + " did not confirm the RESET pulse within "
                + resetTimeout.toMillis() + " ms");
    }

    @Override
    public String describe() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Java's UnknownHostException says only the host name ("nohost.invalid"): say what it means. */
    static String reason(IOException e) {
        return e instanceof java.net.UnknownHostException ? "unknown host " + e.getMessage() : String.valueOf(
                e.getMessage());
    }
}

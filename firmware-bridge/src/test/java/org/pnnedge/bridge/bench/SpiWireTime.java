package org.pnnedge.bridge.bench;

import java.util.Locale;

import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.transport.spi.SpiLinkConfig;

/**
 * The physical floor of a SHOT over SPI: bytes clocked for the request frame (one transfer) and the response
 * frame (a 10-byte header transfer, then payload + CRC), at the link's clock, from
 * {@link SpiLinkConfig#wireSeconds(int)}. Ignores chip-select gaps, DATA_READY latency and the device's own
 * shot time, so a real link can only be slower. Arithmetic, not a measurement.
 */
public final class SpiWireTime {
    private SpiWireTime() {
    }

    /** Request frame of a SHOT: header + slot + count + codes + CRC. */
    static int shotRequestBytes(int inputs) {
        return FrameCodec.OVERHEAD + Payloads.VECTOR_HEADER + 2 * inputs;
    }

    /** Response frame of a SHOT: header + count + codes + CRC. */
    static int shotResponseBytes(int outputs) {
        return FrameCodec.OVERHEAD + 2 + 2 * outputs;
    }

    static int batchRequestBytes(int shots, int inputs) {
        return FrameCodec.OVERHEAD + Payloads.BATCH_HEADER + 2 * shots * inputs;
    }

    static int batchResponseBytes(int shots, int outputs) {
        return FrameCodec.OVERHEAD + 4 + 2 * shots * outputs;
    }

    /** Wire seconds of one exchange: request in one transfer, response as header + rest. */
    static double exchangeSeconds(SpiLinkConfig spi, int requestBytes, int responseBytes) {
        return spi.wireSeconds(requestBytes) + spi.wireSeconds(FrameCodec.HEADER_BYTES)
                + spi.wireSeconds(responseBytes - FrameCodec.HEADER_BYTES);
    }

    /** Report for a device with {@code inputs} and {@code outputs} codes per shot at {@code baud}. */
    public static String report(int baud, int inputs, int outputs, int batch) {
        SpiLinkConfig spi = SpiLinkConfig.builder().baud(baud).build();
        int req = shotRequestBytes(inputs);
        int resp = shotResponseBytes(outputs);
        double shot = exchangeSeconds(spi, req, resp);
        int breq = batchRequestBytes(batch, inputs);
        int bresp = batchResponseBytes(batch, outputs);
        double b = exchangeSeconds(spi, breq, bresp);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "SPI wire time at %.1f MHz (%d inputs, %d outputs; chip-select gaps and DATA_READY"
                + " latency not included)%n", baud / 1e6, inputs, outputs));
        s.append(String.format(Locale.ROOT, "  SHOT:            request %d B + response %d B (read as %d + %d) = %d B"
                        + " -> %.1f us/shot, at most %.0f shots/s%n", req, resp, FrameCodec.HEADER_BYTES,
                resp - FrameCodec.HEADER_BYTES, req + resp, shot * 1e6, 1 / shot));
        s.append(String.format(Locale.ROOT, "  SHOT_BATCH(%d): request %d B + response %d B = %d B -> %.3f ms/frame,"
                        + " %.1f us/shot, at most %.0f shots/s%n", batch, breq, bresp, breq + bresp, b * 1e3,
                b / batch * 1e6, batch / b));
        return s.toString();
    }

    public static void main(String[] args) {
        int baud = args.length > 0 ? Integer.parseInt(args[0]) : SpiLinkConfig.DEFAULT_BAUD;
        System.out.print(report(baud, 16, 16, BenchRigs.BATCH));
    }
}

package org.pnnedge.bridge.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.ForwardingTransport;
import org.pnnedge.bridge.transport.Transport;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.tcp.TcpTransport;

/**
 * Issue 13's attack on a shared device: another client LOAD_PARAMS zeros into the slot a host serves from. The host
 * notices with SLOT_CHECKSUMS, reloads the slot, counts it, and its answers are right again; on firmware without the
 * extension the host goes on serving and says it cannot tell.
 */
class ForeignParamWriteTest {
    static EmulatedDevice device() {
        return new EmulatedDevice(EmulatorConfig.builder(PhysicsKind.SHG).timing(Timing.ZERO).noise(false)
                .drift(false).build());
    }

    static DeviceLink tcp(DeviceServer s) {
        return DeviceLink.over(new TcpTransport("127.0.0.1", s.port(), Duration.ofSeconds(5), Duration.ofSeconds(5)),
                LinkOptions.defaults());
    }

    @Test
    void zerosWrittenIntoOurSlotAreDetectedReloadedAndCounted() throws Exception {
        EmulatedDevice dev = device();
        try (DeviceServer server = DeviceServer.start(new InProcessTransport(dev, "shared"),
                InetAddress.getLoopbackAddress(), 0, DeviceServer.Limits.defaults());
             DeviceLink host = tcp(server); DeviceLink intruder = tcp(server)) {
            int[] params = new int[host.info().params()];
            for (int i = 0; i < params.length; i++) {
                params[i] = 500 + 97 * i;
            }
            int[] input = new int[host.info().inputs()];
            Arrays.fill(input, 3000);
            host.loadParams(0, params);
            int[] before = host.shot(0, input);
            assertEquals(0, host.verifyParams(), "nothing to reload before the attack");

            intruder.loadParams(0, new int[host.info().params()]);
            int[] attacked = host.shot(0, input);
            assertFalse(Arrays.equals(before, attacked), "the attack changes the answers");

            assertEquals(1, host.verifyParams());
            assertEquals(1, host.stats().foreignWrites());
            assertEquals(1, host.stats().paramReloads());
            assertArrayEquals(before, host.shot(0, input), "answers are right again");
            assertEquals(0, host.verifyParams());
            assertEquals(1, host.stats().foreignWrites());
        }
    }

    /** Firmware before the extension answers UNKNOWN_OPCODE: the host serves on and reports that it cannot check. */
    @Test
    void olderFirmwareIsStillServed() {
        InProcessTransport inner = new InProcessTransport(device(), "old firmware");
        Transport old = new ForwardingTransport(inner) {
            private int unknownSeq = -1;

            @Override
            public void send(byte[] frame, int length) {
                if (FrameCodec.opcodeByte(frame) == Opcode.SLOT_CHECKSUMS.code()) {
                    unknownSeq = FrameCodec.seq(frame); // what firmware 1.0 answers to an opcode it does not know
                } else {
                    inner.send(frame, length);
                }
            }

            @Override
            public int receive(byte[] buf, long timeoutNanos) {
                if (unknownSeq >= 0) {
                    int n = FrameCodec.seal(buf, Opcode.SLOT_CHECKSUMS.code() | Opcode.RESPONSE_BIT, unknownSeq,
                            Status.UNKNOWN_OPCODE.code(), 0);
                    unknownSeq = -1;
                    return n;
                }
                return inner.receive(buf, timeoutNanos);
            }
        };
        try (DeviceLink link = DeviceLink.over(old, LinkOptions.defaults())) {
            link.loadParams(0, new int[link.info().params()]);
            assertEquals(-1, link.verifyParams());
            assertEquals(-1, link.verifyParams(), "asked once, remembered");
            assertEquals(1, link.stats().deviceStatuses().get(Status.UNKNOWN_OPCODE));
            assertEquals(link.info().outputs(), link.shot(0, new int[link.info().inputs()]).length);
        }
    }
}

package org.pnnedge.runtime.edge;

import java.util.concurrent.atomic.AtomicInteger;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceEndpoint;
import org.pnnedge.bridge.DeviceProvider;
import org.pnnedge.bridge.UriQuery;
import org.pnnedge.bridge.emulator.EmulatorDeviceProvider;
import org.pnnedge.bridge.emulator.EmulatorEndpoint;
import org.pnnedge.bridge.protocol.SlotChecksums;
import org.pnnedge.bridge.transport.ForwardingTransport;
import org.pnnedge.bridge.transport.Transport;

/**
 * Test devices {@code faulty:<shg|circuit>?…}: the emulator (same query) behind a transport that counts the slot
 * checksum requests and can make the next one die of a given {@link Error} on the caller's thread, as an
 * {@code OutOfMemoryError} would. Listed in the test resources' {@code META-INF/services}.
 */
public final class FaultyDeviceProvider implements DeviceProvider {
    /** SLOT_CHECKSUMS requests sent, and those that died. */
    static final AtomicInteger CHECKS = new AtomicInteger();
    static final AtomicInteger DEATHS = new AtomicInteger();
    /** The next SLOT_CHECKSUMS request dies of this (then it is cleared). */
    static volatile Error nextCheckFault;

    @Override
    public String scheme() {
        return "faulty";
    }

    @Override
    public String example() {
        return "faulty:<shg|circuit>";
    }

    @Override
    public DeviceEndpoint parse(String kind, UriQuery query) {
        EmulatorEndpoint inner = new EmulatorDeviceProvider().parse(kind, query);
        return new DeviceEndpoint() {
            @Override
            public String uri() {
                return "faulty" + inner.uri().substring("emulator".length());
            }

            @Override
            public Transport open(DeviceContext context) {
                return new Faulty(inner.open(context));
            }
        };
    }

    private static final class Faulty extends ForwardingTransport {
        Faulty(Transport inner) {
            super(inner);
        }

        @Override
        public void send(byte[] frame, int length) {
            if (length > 3 && frame[3] == SlotChecksums.OPCODE) { // byte 3: the request's opcode
                CHECKS.incrementAndGet();
                Error e = nextCheckFault;
                if (e != null) {
                    nextCheckFault = null;
                    DEATHS.incrementAndGet();
                    throw e;
                }
            }
            inner.send(frame, length);
        }

        @Override
        public String describe() {
            return "faulty " + inner.describe();
        }
    }
}

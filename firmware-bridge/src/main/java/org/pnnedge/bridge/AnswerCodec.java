package org.pnnedge.bridge;

import static org.pnnedge.bridge.protocol.FrameCodec.getI64;
import static org.pnnedge.bridge.protocol.FrameCodec.getU16;
import static org.pnnedge.bridge.protocol.FrameCodec.putI32;
import static org.pnnedge.bridge.protocol.FrameCodec.putI64;
import static org.pnnedge.bridge.protocol.FrameCodec.putU16;

import java.util.ArrayList;
import java.util.List;

import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Payloads;

/**
 * The answers that carry this package's records, IDENTIFY ({@link DeviceInfo}), READ_SENSORS ({@link Sensors}) and
 * SELF_TEST ({@link SelfTestReport}), to and from their payload bytes (protocol.md). Shared by the host link and the
 * emulated firmware. It lives here rather than in {@code protocol} so that the protocol package, at the bottom,
 * imports nothing of the bridge.
 */
public final class AnswerCodec {
    private AnswerCodec() {
    }

    /** Writes the IDENTIFY answer (30 bytes). */
    public static void writeIdentity(byte[] b, int off, DeviceInfo d) {
        putI64(b, off, d.serial());
        b[off + 8] = (byte) d.kind().wireCode();
        String[] v = d.firmwareVersion().split("\\.");
        for (int i = 0; i < 3; i++) {
            b[off + 9 + i] = (byte) (i < v.length ? Integer.parseInt(v[i]) : 0);
        }
        b[off + 12] = (byte) d.protocolVersion();
        b[off + 13] = (byte) ((d.emulated() ? 1 : 0) | (d.energyCounter() ? Payloads.CAP_ENERGY : 0));
        putU16(b, off + 14, d.inputs());
        putU16(b, off + 16, d.params());
        putU16(b, off + 18, d.outputs());
        b[off + 20] = (byte) d.dacBits();
        b[off + 21] = (byte) d.adcBits();
        b[off + 22] = (byte) d.slots();
        b[off + 23] = 0;
        putU16(b, off + Payloads.IDENTIFY_MAX_BATCH, d.maxBatch());
        putI32(b, off + Payloads.IDENTIFY_SHOT_MICROS, (int) Math.min(0xFFFFFFFFL, d.typicalShotMicros()));
    }

    /** Reads an IDENTIFY answer; IllegalArgumentException when it is malformed. */
    public static DeviceInfo readIdentity(byte[] b, int off, int len) {
        if (len != Payloads.IDENTIFY_BYTES) {
            throw new IllegalArgumentException("IDENTIFY payload has " + len + " bytes, expected " + Payloads.IDENTIFY_BYTES);
        }
        String fw = (b[off + 9] & 0xFF) + "." + (b[off + 10] & 0xFF) + "." + (b[off + 11] & 0xFF);
        return new DeviceInfo(getI64(b, off), PhysicsKind.fromWire(b[off + 8] & 0xFF), fw, b[off + 12] & 0xFF,
                getU16(b, off + 14), getU16(b, off + 16), getU16(b, off + 18), b[off + 20] & 0xFF, b[off + 21] & 0xFF,
                b[off + 22] & 0xFF, getU16(b, off + Payloads.IDENTIFY_MAX_BATCH),
                FrameCodec.getI32(b, off + Payloads.IDENTIFY_SHOT_MICROS) & 0xFFFFFFFFL,
                (b[off + 13] & 1) != 0, (b[off + 12] & 0xFF) >= 2 && (b[off + 13] & Payloads.CAP_ENERGY) != 0);
    }

    /** Writes a READ_ENERGY answer (counters in nJ); returns the payload length. */
    public static int writeEnergy(byte[] b, int off, long totalNanojoules, long[] slotNanojoules) {
        putI64(b, off, totalNanojoules);
        b[off + 8] = (byte) slotNanojoules.length;
        int p = off + Payloads.ENERGY_HEADER;
        for (long v : slotNanojoules) {
            putI64(b, p, v);
            p += Payloads.ENERGY_ENTRY;
        }
        return p - off;
    }

    /** Reads a READ_ENERGY answer; IllegalArgumentException when it is malformed. */
    public static EnergyCounters readEnergy(byte[] b, int off, int len) {
        if (len < Payloads.ENERGY_HEADER || len != Payloads.ENERGY_HEADER + (b[off + 8] & 0xFF) * Payloads.ENERGY_ENTRY) {
            throw new IllegalArgumentException("READ_ENERGY payload of " + len + " bytes does not match its count");
        }
        int n = b[off + 8] & 0xFF;
        double[] slots = new double[n];
        for (int i = 0, p = off + Payloads.ENERGY_HEADER; i < n; i++, p += Payloads.ENERGY_ENTRY) {
            slots[i] = getI64(b, p) / 1000.0;
        }
        return new EnergyCounters(getI64(b, off) / 1000.0, slots);
    }

    /** Writes a READ_SENSORS answer; returns the payload length. */
    public static int writeSensors(byte[] b, int off, List<SensorReading> readings) {
        b[off] = (byte) readings.size();
        int p = off + 1;
        for (SensorReading r : readings) {
            b[p] = (byte) r.id();
            putI64(b, p + 1, Math.round(r.value() * 1000.0));
            p += Payloads.SENSOR_ENTRY;
        }
        return p - off;
    }

    public static Sensors readSensors(byte[] b, int off, int len) {
        if (len < 1 || len != 1 + (b[off] & 0xFF) * Payloads.SENSOR_ENTRY) {
            throw new IllegalArgumentException("READ_SENSORS payload of " + len + " bytes does not match its count");
        }
        int n = b[off] & 0xFF;
        List<SensorReading> list = new ArrayList<>(n);
        for (int i = 0, p = off + 1; i < n; i++, p += Payloads.SENSOR_ENTRY) {
            list.add(new SensorReading(b[p] & 0xFF, getI64(b, p + 1) / 1000.0));
        }
        return new Sensors(list);
    }

    /** Writes a SELF_TEST answer; returns the payload length. */
    public static int writeSelfTest(byte[] b, int off, SelfTestReport r) {
        b[off] = (byte) (r.passed() ? 0 : 1);
        b[off + 1] = (byte) r.checks().size();
        int p = off + 2;
        for (SelfTestCheck c : r.checks()) {
            b[p] = (byte) c.id();
            b[p + 1] = (byte) (c.passed() ? 1 : 0);
            putI64(b, p + 2, Math.round(c.measured() * 1000.0));
            p += Payloads.CHECK_ENTRY;
        }
        return p - off;
    }

    public static SelfTestReport readSelfTest(byte[] b, int off, int len) {
        if (len < 2 || len != 2 + (b[off + 1] & 0xFF) * Payloads.CHECK_ENTRY) {
            throw new IllegalArgumentException("SELF_TEST payload of " + len + " bytes does not match its count");
        }
        int n = b[off + 1] & 0xFF;
        List<SelfTestCheck> list = new ArrayList<>(n);
        for (int i = 0, p = off + 2; i < n; i++, p += Payloads.CHECK_ENTRY) {
            list.add(new SelfTestCheck(b[p] & 0xFF, b[p + 1] != 0, getI64(b, p + 2) / 1000.0));
        }
        return new SelfTestReport(b[off] == 0, list);
    }
}

package org.pnnedge.bridge.emulator;

import static org.pnnedge.bridge.protocol.FrameCodec.HEADER_BYTES;
import static org.pnnedge.bridge.protocol.FrameCodec.MAX_PAYLOAD;
import static org.pnnedge.bridge.protocol.FrameCodec.OVERHEAD;
import static org.pnnedge.bridge.protocol.FrameCodec.PAYLOAD_OFFSET;
import static org.pnnedge.bridge.protocol.FrameCodec.getI64;
import static org.pnnedge.bridge.protocol.FrameCodec.getU16;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pnnedge.bridge.AnswerCodec;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.SensorReading;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsSpec;
import org.pnnedge.bridge.protocol.Crc32c;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.protocol.SlotChecksums;
import org.pnnedge.bridge.protocol.Status;

/**
 * The emulated firmware proper: checks a request frame in the order protocol.md prescribes, dispatches it by
 * opcode, keeps the parameter slots, runs shots on the {@link Physics} in the {@link World}, and writes the
 * response frame. Knows nothing of SPI timing or faults ({@link SpiPort}). Not thread-safe; {@link EmulatedDevice}
 * serialises access.
 */
final class Firmware {
    static final String VERSION = "1.0.0";
    /** Largest batch the emulated firmware accepts (also bounded by the frame size). */
    static final int MAX_BATCH_LIMIT = 1024;

    private final Physics physics;
    private final PhysicsSpec spec;
    private final World world;
    private final DeviceInfo info;
    private final long shotNanos;
    private final long overheadNanos;
    private final int[][] slotCodes;
    private final boolean[] slotLoaded;
    private final int[] inputs;
    private final int[] outputs;
    /** The profile the energy counters follow; null when the device keeps none. */
    private final EnergyProfile energy;
    private final int maxVersion;
    /** Energy since boot per slot and outside any slot, J (doubles: a chip's shot is a few nJ). */
    private final double[] slotJoules;
    private double otherJoules;
    private final long[] slotNanojoules;
    private int requestVersion;

    private byte[] in;
    private byte[] out;
    private double bootTime;
    private long shotCount;
    private long bootCount = 1;

    Firmware(EmulatorConfig config, Physics physics, World world) {
        this.physics = physics;
        this.spec = physics.spec();
        this.world = world;
        long shotMicros = config.shotMicros() > 0 ? config.shotMicros() : spec.typicalShotMicros();
        this.shotNanos = shotMicros * 1000;
        this.overheadNanos = config.overheadMicros() * 1000;
        int maxBatch = Math.min(MAX_BATCH_LIMIT, Math.min((MAX_PAYLOAD - Payloads.BATCH_HEADER) / (2 * spec.inputs()),
                (MAX_PAYLOAD - 4) / (2 * spec.outputs())));
        this.maxVersion = config.protocolVersion();
        this.energy = config.energy().equals("off") ? null : EnergyProfile.of(spec.kind(), config.energy());
        this.info = new DeviceInfo(serialFor(config), spec.kind(), VERSION, maxVersion,
                spec.inputs(), spec.params(), spec.outputs(), spec.dacBits(), spec.adcBits(), config.slots(),
                maxBatch, shotMicros, true, energy != null && maxVersion >= 2);
        this.slotJoules = new double[config.slots()];
        this.slotNanojoules = new long[config.slots()];
        this.slotCodes = new int[config.slots()][spec.params()];
        this.slotLoaded = new boolean[config.slots()];
        this.inputs = new int[spec.inputs()];
        this.outputs = new int[spec.outputs()];
    }

    /** Serial number: physics kind in the top byte, a hash of the seed below. */
    static long serialFor(EmulatorConfig c) {
        long z = c.seed() + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return ((long) c.kind().wireCode() << 56) | (z & 0x00FF_FFFF_FFFF_FFFFL);
    }

    DeviceInfo info() {
        return info;
    }

    long bootCount() {
        return bootCount;
    }

    /** The RESET line is held: RAM (the slots) is gone at once. */
    void clearSlots() {
        Arrays.fill(slotLoaded, false);
    }

    /** A boot: slots empty, boot counted, uptime restarts. */
    void reboot() {
        clearSlots();
        Arrays.fill(slotJoules, 0);
        otherJoules = 0; // the counters live in RAM too: "since reset"
        bootCount++;
        bootTime = world.timeSeconds();
    }

    /**
     * Handles the request frame in {@code request[0, len)} and writes the sealed response frame into
     * {@code response}. The emulated clock advances by the firmware overhead (shots advance it as they run).
     *
     * @return the modelled time the request took, ns (overhead plus shots)
     */
    long process(byte[] request, int len, byte[] response) {
        this.in = request;
        this.out = response;
        int seq = len >= 6 ? getU16(in, 4) : 0;
        int op = len >= 4 ? in[3] & 0xFF : 0;
        int status;
        int payloadLen = 0;
        int shots = 0;
        requestVersion = len >= 3 ? FrameCodec.version(in) : maxVersion;
        if (len < HEADER_BYTES) {
            status = Status.BAD_LENGTH.code();
        } else {
            int n = FrameCodec.payloadLength(in);
            if (n > MAX_PAYLOAD || len < n + OVERHEAD) {
                status = Status.BAD_LENGTH.code();
            } else if (Crc32c.compute(in, 2, HEADER_BYTES - 2 + n) != FrameCodec.getI32(in, HEADER_BYTES + n)) {
                status = Status.BAD_CRC.code();
            } else if (requestVersion < FrameCodec.MIN_VERSION || requestVersion > maxVersion) {
                status = Status.UNSUPPORTED_VERSION.code();
            } else {
                long r = dispatch(op, n);
                status = (int) (r >>> 32);
                payloadLen = (int) (r & 0xFFFF_FFFFL);
                if (status == 0 && (op == Opcode.SHOT.code() || op == Opcode.SHOT_BATCH.code())) {
                    shots = op == Opcode.SHOT.code() ? 1 : getU16(in, PAYLOAD_OFFSET + 1);
                }
            }
        }
        world.advance(overheadNanos * 1e-9); // shots advanced the clock as they ran
        if (energy != null) {
            otherJoules += energy.requestJoules(overheadNanos * 1e-9);
        }
        if (status != 0) {
            payloadLen = 0;
        }
        // answer in the request's version; a version this firmware does not speak is answered in its newest
        int answerVersion = requestVersion >= FrameCodec.MIN_VERSION && requestVersion <= maxVersion ? requestVersion
                : maxVersion;
        FrameCodec.seal(out, answerVersion, (op | Opcode.RESPONSE_BIT) & 0xFF, seq, status, payloadLen);
        return overheadNanos + shots * shotNanos;
    }

    /** Status in the high word, response payload length in the low word: no allocation per request. */
    private static long result(Status s, int payloadLen) {
        return ((long) s.code() << 32) | payloadLen;
    }

    /** The answer to a payload whose length does not fit its opcode. */
    private static final long BAD_LENGTH = result(Status.BAD_LENGTH, 0);

    /** Runs one well-formed request of payload length {@code n}. */
    private long dispatch(int op, int n) {
        Opcode opcode = Opcode.fromCode(op);
        if (opcode == null) {
            return result(Status.UNKNOWN_OPCODE, 0);
        }
        return switch (opcode) {
            case IDENTIFY -> n != 0 ? BAD_LENGTH : result(Status.OK, writeIdentity());
            case LOAD_PARAMS -> loadParams(n);
            case SHOT -> shot(n);
            case SHOT_BATCH -> shotBatch(n);
            case READ_SENSORS -> n != 0 ? BAD_LENGTH
                    : result(Status.OK, AnswerCodec.writeSensors(out, PAYLOAD_OFFSET, sensorReadings()));
            case SELF_TEST -> n != 0 ? BAD_LENGTH
                    : result(Status.OK, AnswerCodec.writeSelfTest(out, PAYLOAD_OFFSET, selfTest()));
            case RESET -> n != 0 ? BAD_LENGTH : resetRequest();
            case SLOT_CHECKSUMS -> n != 0 ? BAD_LENGTH : result(Status.OK,
                    SlotChecksums.write(out, PAYLOAD_OFFSET, slotLoaded, slotCodes, spec.params()));
            case READ_ENERGY -> energy == null || requestVersion < 2 ? result(Status.UNKNOWN_OPCODE, 0)
                    : n != 0 ? BAD_LENGTH : result(Status.OK, writeEnergy());
            case LAB_ENVIRONMENT -> n != Payloads.LAB_BYTES ? BAD_LENGTH : lab();
            default -> result(Status.UNKNOWN_OPCODE, 0); // LINE_RESET is for bridges, not firmware
        };
    }

    private int writeIdentity() {
        // the newest version both this firmware and the asking host speak: an older host sees a device of its own
        AnswerCodec.writeIdentity(out, PAYLOAD_OFFSET,
                requestVersion < maxVersion ? info.withProtocolVersion(requestVersion) : info);
        return Payloads.IDENTIFY_BYTES;
    }

    private long loadParams(int n) {
        long check = checkVector(n, spec.params());
        if (check != 0) {
            return check;
        }
        int slot = in[PAYLOAD_OFFSET] & 0xFF;
        readCodes(in, PAYLOAD_OFFSET + Payloads.VECTOR_HEADER, slotCodes[slot], spec.params());
        slotLoaded[slot] = true;
        if (energy != null) {
            slotJoules[slot] += energy.loadJoules();
        }
        return result(Status.OK, 0);
    }

    private long shot(int n) {
        long check = checkVector(n, spec.inputs());
        if (check != 0) {
            return check;
        }
        int slot = in[PAYLOAD_OFFSET] & 0xFF;
        if (!slotLoaded[slot]) {
            return result(Status.SLOT_EMPTY, 0);
        }
        readCodes(in, PAYLOAD_OFFSET + Payloads.VECTOR_HEADER, inputs, spec.inputs());
        runShot(slot);
        return result(Status.OK, Payloads.writeCodes(out, PAYLOAD_OFFSET, outputs, spec.outputs()));
    }

    private long resetRequest() {
        // The reply goes out before the reboot takes effect; the slots are gone at once.
        reboot();
        return result(Status.OK, 0);
    }

    private long lab() {
        int p = PAYLOAD_OFFSET;
        int flags = in[p] & 0xFF;
        double ambient = getI64(in, p + 1) / 1000.0;
        long advanceMicros = getI64(in, p + 9);
        boolean setAmbient = (flags & Payloads.LAB_SET_AMBIENT) != 0;
        boolean advance = (flags & Payloads.LAB_ADVANCE_CLOCK) != 0;
        if (setAmbient && !(ambient >= -40 && ambient <= 125) || advance && advanceMicros < 0) {
            return result(Status.CODE_OUT_OF_RANGE, 0);
        }
        if (setAmbient) {
            world.setAmbientC(ambient);
        }
        if (advance) {
            world.advance(advanceMicros * 1e-6);
        }
        return result(Status.OK, 0);
    }

    /** Checks slot, count and code range of a LOAD_PARAMS / SHOT payload; 0 when fine. */
    private long checkVector(int n, int expected) {
        int p = PAYLOAD_OFFSET;
        if (n < Payloads.VECTOR_HEADER) {
            return BAD_LENGTH;
        }
        int count = getU16(in, p + 1);
        if (n != Payloads.VECTOR_HEADER + 2 * count) {
            return BAD_LENGTH;
        }
        if ((in[p] & 0xFF) >= slotLoaded.length) {
            return result(Status.BAD_SLOT, 0);
        }
        if (count != expected) {
            return result(Status.BAD_VECTOR_LENGTH, 0);
        }
        if (!codesInRange(p + Payloads.VECTOR_HEADER, count)) {
            return result(Status.CODE_OUT_OF_RANGE, 0);
        }
        return 0;
    }

    private boolean codesInRange(int from, int count) {
        int max = spec.maxDacCode();
        for (int i = 0; i < count; i++) {
            if (getU16(in, from + 2 * i) > max) {
                return false;
            }
        }
        return true;
    }

    private long shotBatch(int n) {
        int p = PAYLOAD_OFFSET;
        if (n < Payloads.BATCH_HEADER) {
            return BAD_LENGTH;
        }
        int shots = getU16(in, p + 1);
        int width = getU16(in, p + 3);
        if (n != Payloads.BATCH_HEADER + 2 * shots * width) {
            return BAD_LENGTH;
        }
        int slot = in[p] & 0xFF;
        if (slot >= slotLoaded.length) {
            return result(Status.BAD_SLOT, 0);
        }
        if (width != spec.inputs()) {
            return result(Status.BAD_VECTOR_LENGTH, 0);
        }
        if (shots < 1 || shots > info.maxBatch()) {
            return result(Status.BATCH_TOO_LARGE, 0);
        }
        if (!codesInRange(p + Payloads.BATCH_HEADER, shots * width)) {
            return result(Status.CODE_OUT_OF_RANGE, 0);
        }
        if (!slotLoaded[slot]) {
            return result(Status.SLOT_EMPTY, 0);
        }
        FrameCodec.putU16(out, p, shots);
        FrameCodec.putU16(out, p + 2, spec.outputs());
        int src = p + Payloads.BATCH_HEADER;
        int dst = p + 4;
        for (int s = 0; s < shots; s++) {
            readCodes(in, src, inputs, width);
            src += 2 * width;
            runShot(slot);
            for (int k = 0; k < outputs.length; k++, dst += 2) {
                FrameCodec.putU16(out, dst, outputs[k]);
            }
        }
        return result(Status.OK, dst - p);
    }

    private void runShot(int slot) {
        world.advance(shotNanos * 1e-9);
        physics.shot(slotCodes[slot], inputs, outputs, world);
        shotCount++;
        if (energy != null) {
            slotJoules[slot] += energy.shotJoules();
        }
    }

    /** READ_ENERGY: total and per-slot counters, nJ on the wire (µJ in milli-units, as sensors are). */
    private int writeEnergy() {
        double total = otherJoules;
        for (int i = 0; i < slotJoules.length; i++) {
            total += slotJoules[i];
            slotNanojoules[i] = Math.round(slotJoules[i] * 1e9);
        }
        return AnswerCodec.writeEnergy(out, PAYLOAD_OFFSET, Math.round(total * 1e9), slotNanojoules);
    }

    private static void readCodes(byte[] b, int from, int[] dst, int count) {
        for (int i = 0; i < count; i++) {
            dst[i] = getU16(b, from + 2 * i);
        }
    }

    private List<SensorReading> sensorReadings() {
        List<SensorReading> list = new ArrayList<>();
        list.add(new SensorReading(Sensor.DEVICE_TEMPERATURE.id(), world.deviceTemperatureC()));
        list.add(new SensorReading(Sensor.AMBIENT_TEMPERATURE.id(), world.ambientC()));
        list.add(new SensorReading(Sensor.UPTIME.id(), world.timeSeconds() - bootTime));
        list.add(new SensorReading(Sensor.SHOT_COUNT.id(), shotCount));
        list.add(new SensorReading(Sensor.BOOT_COUNT.id(), bootCount));
        physics.readSensors(world, (s, v) -> list.add(new SensorReading(s.id(), v)));
        return list;
    }

    private SelfTestReport selfTest() {
        List<SelfTestCheck> checks = new ArrayList<>();
        // An emulated DAC and ADC have no loopback error to speak of; real firmware measures these.
        checks.add(new SelfTestCheck(SelfTestCheck.DAC_LOOPBACK, true, 0.0));
        checks.add(new SelfTestCheck(SelfTestCheck.ADC_REFERENCE, true, 0.0));
        double t = world.deviceTemperatureC();
        checks.add(new SelfTestCheck(SelfTestCheck.TEMPERATURE, t >= 5 && t <= 45, t));
        checks.addAll(physics.selfTest(world));
        boolean passed = checks.stream().allMatch(SelfTestCheck::passed);
        return new SelfTestReport(passed, checks);
    }
}

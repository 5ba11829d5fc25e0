package org.pnnedge.bridge.emulator;

import static org.pnnedge.bridge.protocol.FrameCodec.HEADER_BYTES;
import static org.pnnedge.bridge.protocol.FrameCodec.MAX_FRAME;
import static org.pnnedge.bridge.protocol.FrameCodec.MAX_PAYLOAD;
import static org.pnnedge.bridge.protocol.FrameCodec.OVERHEAD;
import static org.pnnedge.bridge.protocol.FrameCodec.PAYLOAD_OFFSET;
import static org.pnnedge.bridge.protocol.FrameCodec.getI64;
import static org.pnnedge.bridge.protocol.FrameCodec.getU16;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.SensorReading;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsSpec;
import org.pnnedge.bridge.emulator.physics.PhysicsState;
import org.pnnedge.bridge.protocol.Crc32c;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.transport.spi.SpiSlave;

/**
 * Emulated device firmware: the device side of the protocol, byte for byte, as an SPI slave with DATA_READY and
 * RESET lines. Holds parameter slots, models timing, injects faults, and runs a {@link Physics} model in an
 * emulated world (clock, ambient and device temperature). Thread-safe: every entry point is synchronized.
 */
public final class EmulatedDevice implements SpiSlave {
    public static final String FIRMWARE_VERSION = "1.0.0";
    /** Largest batch the emulated firmware accepts (also bounded by the frame size). */
    public static final int MAX_BATCH_LIMIT = 1024;

    private final EmulatorConfig config;
    private final Physics physics;
    private final PhysicsSpec spec;
    private final DeviceInfo info;
    private final long shotNanos;
    private final long overheadNanos;

    private final int[][] slotCodes;
    private final boolean[] slotLoaded;
    private final byte[] in = new byte[MAX_FRAME];
    private final byte[] out = new byte[MAX_FRAME];
    private final int[] inputs;
    private final int[] outputs;
    private final SplittableRandom faultRandom;
    private final World world;

    private volatile FaultConfig faults;
    private int outLen;
    private int outPos;
    private long readyAt = Long.MAX_VALUE;
    private boolean hung;
    private boolean inReset;
    private long bootUntil;
    private double bootTime;
    private long shotCount;
    private long bootCount = 1;

    public EmulatedDevice(EmulatorConfig config) {
        this.config = config;
        this.physics = Physics.create(config.kind(), config.seed(), config.mismatch());
        this.spec = physics.spec();
        long shotMicros = config.shotMicros() > 0 ? config.shotMicros() : spec.typicalShotMicros();
        this.shotNanos = shotMicros * 1000;
        this.overheadNanos = config.overheadMicros() * 1000;
        int maxBatch = Math.min(MAX_BATCH_LIMIT, Math.min((MAX_PAYLOAD - Payloads.BATCH_HEADER) / (2 * spec.inputs()),
                (MAX_PAYLOAD - 4) / (2 * spec.outputs())));
        this.info = new DeviceInfo(serialFor(config), spec.kind(), FIRMWARE_VERSION, FrameCodec.VERSION,
                spec.inputs(), spec.params(), spec.outputs(), spec.dacBits(), spec.adcBits(), config.slots(),
                maxBatch, shotMicros, true);
        this.slotCodes = new int[config.slots()][spec.params()];
        this.slotLoaded = new boolean[config.slots()];
        this.inputs = new int[spec.inputs()];
        this.outputs = new int[spec.outputs()];
        this.faultRandom = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        this.world = new World(config, new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + 7));
        this.faults = config.faults();
    }

    /** Serial number: physics kind in the top byte, a hash of the seed below. */
    static long serialFor(EmulatorConfig c) {
        long z = c.seed() + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return ((long) c.kind().wireCode() << 56) | (z & 0x00FF_FFFF_FFFF_FFFFL);
    }

    public DeviceInfo info() {
        return info;
    }

    public EmulatorConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- laboratory side

    public synchronized void setAmbientTemperature(double celsius) {
        world.ambientC = celsius;
    }

    public synchronized void advanceClock(double seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("time runs forward only");
        }
        world.advance(seconds);
    }

    public synchronized double timeSeconds() {
        return world.timeSeconds();
    }

    public synchronized double deviceTemperatureC() {
        return world.deviceTemperatureC();
    }

    public synchronized void setNoise(boolean on) {
        world.noise = on;
    }

    public synchronized void setDrift(boolean on) {
        world.drift = on;
    }

    public void setFaults(FaultConfig f) {
        faults = f;
    }

    public synchronized long shotCount() {
        return shotCount;
    }

    public synchronized long bootCount() {
        return bootCount;
    }

    // ---------------------------------------------------------------- SPI side

    @Override
    public synchronized void transfer(byte[] mosi, int mosiOffset, byte[] miso, int misoOffset, int len) {
        long now = System.nanoTime();
        java.util.Arrays.fill(miso, misoOffset, misoOffset + len, (byte) 0);
        if (inReset || now - bootUntil < 0 || hung || len <= 0) {
            return; // not running: nothing is read, MISO idles low
        }
        FaultConfig f = faults;
        if ((mosi[mosiOffset] & 0xFF) == FrameCodec.SYNC0) {
            int n = Math.min(len, MAX_FRAME);
            System.arraycopy(mosi, mosiOffset, in, 0, n);
            if (f.corruptByteRate() > 0) {
                corrupt(in, 0, n, f.corruptByteRate());
            }
            outLen = 0;
            outPos = 0;
            readyAt = Long.MAX_VALUE;
            request(n, now, f);
        } else if (outPos < outLen && now - readyAt >= 0) {
            int n = Math.min(len, outLen - outPos);
            System.arraycopy(out, outPos, miso, misoOffset, n);
            if (f.corruptByteRate() > 0) {
                corrupt(miso, misoOffset, n, f.corruptByteRate());
            }
            outPos += n;
            if (outPos >= outLen) {
                outLen = 0;
                outPos = 0;
                readyAt = Long.MAX_VALUE;
            }
        }
    }

    @Override
    public synchronized boolean dataReady() {
        return !inReset && !hung && outPos < outLen && System.nanoTime() - readyAt >= 0;
    }

    @Override
    public synchronized long dataReadyAtNanos() {
        return inReset || hung || outPos >= outLen ? Long.MAX_VALUE : readyAt;
    }

    @Override
    public synchronized void setReset(boolean held) {
        if (held) {
            inReset = true;
            hung = false;
            outLen = 0;
            outPos = 0;
            readyAt = Long.MAX_VALUE;
            java.util.Arrays.fill(slotLoaded, false);
        } else if (inReset) {
            inReset = false;
            boot(System.nanoTime());
        }
    }

    private void boot(long now) {
        java.util.Arrays.fill(slotLoaded, false);
        outLen = 0;
        outPos = 0;
        readyAt = Long.MAX_VALUE;
        hung = false;
        bootCount++;
        bootTime = world.time;
        bootUntil = config.timing() == Timing.REALISTIC ? now + config.bootMillis() * 1_000_000 : now;
    }

    private void corrupt(byte[] b, int off, int len, double rate) {
        for (int i = off; i < off + len; i++) {
            if (faultRandom.nextDouble() < rate) {
                b[i] ^= (byte) (1 << faultRandom.nextInt(8));
            }
        }
    }

    // ---------------------------------------------------------------- firmware

    private void request(int len, long now, FaultConfig f) {
        if (f.rebootRate() > 0 && faultRandom.nextDouble() < f.rebootRate()) {
            boot(now); // brown-out: the request is lost with the slots
            return;
        }
        if (f.stuckReadyRate() > 0 && faultRandom.nextDouble() < f.stuckReadyRate()) {
            hung = true; // firmware hangs; only the RESET line brings it back
            return;
        }
        int seq = len >= 6 ? getU16(in, 4) : 0;
        int op = len >= 4 ? in[3] & 0xFF : 0;
        long modelledNanos = overheadNanos;
        int status;
        int payloadLen = 0;
        int shots = 0;
        if (len < HEADER_BYTES) {
            status = Status.BAD_LENGTH.code();
        } else {
            int n = FrameCodec.payloadLength(in);
            if (n > MAX_PAYLOAD || len < n + OVERHEAD) {
                status = Status.BAD_LENGTH.code();
            } else if (Crc32c.compute(in, 2, HEADER_BYTES - 2 + n) != FrameCodec.getI32(in, HEADER_BYTES + n)) {
                status = Status.BAD_CRC.code();
            } else if (FrameCodec.version(in) != FrameCodec.VERSION) {
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
        modelledNanos += shots * shotNanos;
        world.advance(overheadNanos * 1e-9); // shots advanced the clock as they ran
        if (status != 0) {
            payloadLen = 0;
        }
        FrameCodec.seal(out, (op | Opcode.RESPONSE_BIT) & 0xFF, seq, status, payloadLen);
        if (f.dropRate() > 0 && faultRandom.nextDouble() < f.dropRate()) {
            return; // processed, but the response is lost
        }
        outLen = payloadLen + OVERHEAD;
        outPos = 0;
        readyAt = config.timing() == Timing.REALISTIC ? now + modelledNanos : now;
    }

    private static long result(Status s, int payloadLen) {
        return ((long) s.code() << 32) | payloadLen;
    }

    /** Runs one well-formed request; returns status in the high word and response payload length in the low. */
    private long dispatch(int op, int n) {
        Opcode opcode = Opcode.fromCode(op);
        int p = PAYLOAD_OFFSET;
        if (opcode == null) {
            return result(Status.UNKNOWN_OPCODE, 0);
        }
        switch (opcode) {
            case IDENTIFY -> {
                if (n != 0) {
                    return result(Status.BAD_LENGTH, 0);
                }
                Payloads.writeIdentity(out, p, info);
                return result(Status.OK, Payloads.IDENTIFY_BYTES);
            }
            case LOAD_PARAMS -> {
                long check = checkVector(n, spec.params());
                if (check != 0) {
                    return check;
                }
                int slot = in[p] & 0xFF;
                readCodes(in, p + Payloads.VECTOR_HEADER, slotCodes[slot], spec.params());
                slotLoaded[slot] = true;
                return result(Status.OK, 0);
            }
            case SHOT -> {
                long check = checkVector(n, spec.inputs());
                if (check != 0) {
                    return check;
                }
                int slot = in[p] & 0xFF;
                if (!slotLoaded[slot]) {
                    return result(Status.SLOT_EMPTY, 0);
                }
                readCodes(in, p + Payloads.VECTOR_HEADER, inputs, spec.inputs());
                runShot(slot);
                return result(Status.OK, Payloads.writeCodes(out, p, outputs, spec.outputs()));
            }
            case SHOT_BATCH -> {
                return shotBatch(n);
            }
            case READ_SENSORS -> {
                if (n != 0) {
                    return result(Status.BAD_LENGTH, 0);
                }
                return result(Status.OK, Payloads.writeSensors(out, p, sensorReadings()));
            }
            case SELF_TEST -> {
                if (n != 0) {
                    return result(Status.BAD_LENGTH, 0);
                }
                return result(Status.OK, Payloads.writeSelfTest(out, p, selfTest()));
            }
            case RESET -> {
                if (n != 0) {
                    return result(Status.BAD_LENGTH, 0);
                }
                // The reply goes out before the reboot takes effect; the slots are gone at once.
                java.util.Arrays.fill(slotLoaded, false);
                bootCount++;
                bootTime = world.time;
                return result(Status.OK, 0);
            }
            case LAB_ENVIRONMENT -> {
                if (n != Payloads.LAB_BYTES) {
                    return result(Status.BAD_LENGTH, 0);
                }
                int flags = in[p] & 0xFF;
                double ambient = getI64(in, p + 1) / 1000.0;
                long advanceMicros = getI64(in, p + 9);
                if ((flags & Payloads.LAB_SET_AMBIENT) != 0 && !(ambient >= -40 && ambient <= 125)) {
                    return result(Status.CODE_OUT_OF_RANGE, 0);
                }
                if ((flags & Payloads.LAB_ADVANCE_CLOCK) != 0 && advanceMicros < 0) {
                    return result(Status.CODE_OUT_OF_RANGE, 0);
                }
                if ((flags & Payloads.LAB_SET_AMBIENT) != 0) {
                    world.ambientC = ambient;
                }
                if ((flags & Payloads.LAB_ADVANCE_CLOCK) != 0) {
                    world.advance(advanceMicros * 1e-6);
                }
                return result(Status.OK, 0);
            }
            default -> {
                return result(Status.UNKNOWN_OPCODE, 0); // LINE_RESET is for bridges, not firmware
            }
        }
    }

    /** Checks slot, count and code range of a LOAD_PARAMS / SHOT payload; 0 when fine. */
    private long checkVector(int n, int expected) {
        int p = PAYLOAD_OFFSET;
        if (n < Payloads.VECTOR_HEADER) {
            return result(Status.BAD_LENGTH, 0);
        }
        int count = getU16(in, p + 1);
        if (n != Payloads.VECTOR_HEADER + 2 * count) {
            return result(Status.BAD_LENGTH, 0);
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
            return result(Status.BAD_LENGTH, 0);
        }
        int shots = getU16(in, p + 1);
        int width = getU16(in, p + 3);
        if (n != Payloads.BATCH_HEADER + 2 * shots * width) {
            return result(Status.BAD_LENGTH, 0);
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
    }

    private static void readCodes(byte[] b, int from, int[] dst, int count) {
        for (int i = 0; i < count; i++) {
            dst[i] = getU16(b, from + 2 * i);
        }
    }

    private List<SensorReading> sensorReadings() {
        List<SensorReading> list = new ArrayList<>();
        list.add(new SensorReading(Sensor.DEVICE_TEMPERATURE.id(), world.deviceTemperatureC()));
        list.add(new SensorReading(Sensor.AMBIENT_TEMPERATURE.id(), world.ambientC));
        list.add(new SensorReading(Sensor.UPTIME.id(), world.time - bootTime));
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

    /** The emulated world the physics sees: clock, temperatures, switches, noise source. */
    private static final class World implements PhysicsState {
        private final double tau;
        private final RandomGenerator random;
        double time;
        double ambientC;
        double deviceC;
        boolean noise;
        boolean drift;

        World(EmulatorConfig c, RandomGenerator random) {
            this.tau = c.thermalTauSeconds();
            this.random = random;
            this.ambientC = c.ambientC();
            this.deviceC = c.ambientC();
            this.noise = c.noise();
            this.drift = c.drift();
        }

        void advance(double dt) {
            time += dt;
            deviceC += (ambientC - deviceC) * -Math.expm1(-dt / tau);
        }

        @Override
        public double timeSeconds() {
            return time;
        }

        @Override
        public double deviceTemperatureC() {
            return deviceC;
        }

        @Override
        public boolean noise() {
            return noise;
        }

        @Override
        public boolean drift() {
            return drift;
        }

        @Override
        public RandomGenerator noiseRandom() {
            return random;
        }
    }
}

package org.pnnedge.bridge;

import static org.pnnedge.bridge.protocol.FrameCodec.PAYLOAD_OFFSET;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.pnnedge.bridge.net.RateLimitedLog;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.FrameProblem;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.protocol.SlotChecksums;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.transport.Transport;
import org.tinylog.Logger;

/**
 * {@link DeviceLink} over any {@link Transport}: builds frames, matches responses by sequence number, retries
 * transient faults, pulses RESET after repeated timeouts and reloads the parameter slots it remembers.
 * Buffers are sized at open, so a shot allocates nothing. Package-private: {@link DeviceLink#over} and
 * {@link DeviceContext} hand it out.
 *
 * <p>Over 400 lines on purpose: the typed calls and the retry engine share the frame buffers and the parameter
 * cache that keep a shot allocation-free; split apart, they would hand all of that back and forth on every call.
 */
final class ProtocolDeviceLink implements DeviceLink {
    private final Transport transport;
    private final LinkOptions options;
    private final byte[] request = new byte[FrameCodec.MAX_FRAME];
    private final byte[] reload = new byte[FrameCodec.MAX_FRAME];
    private final byte[] response = new byte[FrameCodec.MAX_FRAME];
    private final DeviceInfo info;
    private final int[][] paramCache;
    private final boolean[] paramCached;

    private int seq;
    /** Protocol version of the frames this link sends: the newest both ends speak (negotiated at open). */
    private int version = FrameCodec.VERSION;
    private long bytes;
    private int responseLength;
    private boolean closed;
    private long requests;
    private long retries;
    private long timeouts;
    private long corruptFrames;
    private long lineResets;
    /**
     * A silent device makes every request end in RESET pulses and failed slot reloads: without a bound that is
     * about five warnings per request, at the request rate. The counters ({@link #stats()}) still see each one.
     */
    private final RateLimitedLog resetLog = new RateLimitedLog(Duration.ofSeconds(10));
    private final RateLimitedLog reloadLog = new RateLimitedLog(Duration.ofSeconds(10));
    private long paramReloads;
    private long foreignWrites;
    /** Whether the firmware answers SLOT_CHECKSUMS: 0 not yet asked, 1 yes, -1 no (older firmware). */
    private int slotChecksums;
    /** Non-OK device answers by status code: an array, so counting costs no allocation on the shot path. */
    private final long[] statusAnswers = new long[256];

    /** Opens the link: asks the device to IDENTIFY and checks it speaks our protocol version. */
    ProtocolDeviceLink(Transport transport, LinkOptions options) {
        this.transport = transport;
        this.options = options;
        DeviceInfo found;
        try {
            found = negotiate();
        } catch (DeviceException e) {
            transport.close();
            throw e;
        }
        if (!FrameCodec.spoken(found.protocolVersion()) || found.protocolVersion() > version) {
            transport.close();
            throw new IncompatibleDeviceException("device " + found.serialHex() + " speaks protocol version "
                    + found.protocolVersion() + ", this host speaks " + FrameCodec.MIN_VERSION + " to "
                    + FrameCodec.VERSION);
        }
        this.version = found.protocolVersion();
        this.info = found;
        this.paramCache = new int[found.slots()][found.params()];
        this.paramCached = new boolean[found.slots()];
    }

    /**
     * IDENTIFY in the newest version first; firmware that does not speak it answers UNSUPPORTED_VERSION and is asked
     * again one version lower. Firmware answers IDENTIFY with the newest version it shares with the request's.
     */
    private DeviceInfo negotiate() {
        while (true) {
            try {
                return queryIdentity();
            } catch (DeviceStatusException e) {
                if (e.status() != Status.UNSUPPORTED_VERSION || version <= FrameCodec.MIN_VERSION) {
                    throw e;
                }
                version--;
                Logger.info("{}: device does not speak protocol {}; trying {}", transport.describe(), version + 1,
                        version);
            }
        }
    }

    private DeviceInfo queryIdentity() {
        return ask(Opcode.IDENTIFY, AnswerCodec::readIdentity, "malformed IDENTIFY answer: ");
    }

    /** Reads an answer payload; throws IllegalArgumentException when it is malformed. */
    private interface AnswerReader<T> {
        T read(byte[] b, int off, int len);
    }

    /** Sends a request without payload and decodes its answer; a malformed answer counts as a corrupt frame. */
    private <T> T ask(Opcode op, AnswerReader<T> reader, String malformed) {
        int n = exchange(request, op, 0, 0, true);
        try {
            return reader.read(response, PAYLOAD_OFFSET, n);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException(FrameProblem.BAD_LENGTH, malformed + e.getMessage());
        }
    }

    @Override
    public DeviceInfo identify() {
        ensureOpen();
        return queryIdentity();
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public void loadParams(int slot, int[] codes) {
        ensureOpen();
        checkSlot(Opcode.LOAD_PARAMS, slot);
        checkCodes(Opcode.LOAD_PARAMS, "parameter", codes, info.params());
        int n = Payloads.writeVector(request, PAYLOAD_OFFSET, slot, codes);
        exchange(request, Opcode.LOAD_PARAMS, n, 0, true);
        System.arraycopy(codes, 0, paramCache[slot], 0, codes.length);
        paramCached[slot] = true;
    }

    @Override
    public void shot(int slot, int[] input, int[] out) {
        ensureOpen();
        checkSlot(Opcode.SHOT, slot);
        checkCodes(Opcode.SHOT, "input", input, info.inputs());
        if (out.length != info.outputs()) {
            throw new IllegalArgumentException("output array has " + out.length + " elements, device has "
                    + info.outputs() + " outputs");
        }
        int n = Payloads.writeVector(request, PAYLOAD_OFFSET, slot, input);
        int got = exchange(request, Opcode.SHOT, n, 1, true);
        int count = FrameCodec.getU16(response, PAYLOAD_OFFSET);
        if (got != 2 + 2 * count || count != out.length) {
            throw new CorruptFrameException(FrameProblem.BAD_LENGTH,
                    "SHOT answer carries " + count + " outputs in " + got + " bytes, expected " + out.length);
        }
        for (int i = 0, p = PAYLOAD_OFFSET + 2; i < count; i++, p += 2) {
            out[i] = FrameCodec.getU16(response, p);
        }
    }

    @Override
    public void shotBatch(int slot, int[][] inputs, int[][] out) {
        ensureOpen();
        checkSlot(Opcode.SHOT_BATCH, slot);
        if (out.length != inputs.length) {
            throw new IllegalArgumentException(inputs.length + " inputs but " + out.length + " output rows");
        }
        for (int[] row : inputs) {
            checkCodes(Opcode.SHOT_BATCH, "input", row, info.inputs());
        }
        for (int[] row : out) {
            if (row.length != info.outputs()) {
                throw new IllegalArgumentException("output row has " + row.length + " elements, device has "
                        + info.outputs() + " outputs");
            }
        }
        int width = info.inputs();
        for (int start = 0; start < inputs.length; start += info.maxBatch()) {
            int shots = Math.min(info.maxBatch(), inputs.length - start);
            int p = PAYLOAD_OFFSET;
            request[p] = (byte) slot;
            FrameCodec.putU16(request, p + 1, shots);
            FrameCodec.putU16(request, p + 3, width);
            int q = p + Payloads.BATCH_HEADER;
            for (int s = 0; s < shots; s++) {
                for (int c : inputs[start + s]) {
                    FrameCodec.putU16(request, q, c);
                    q += 2;
                }
            }
            int got = exchange(request, Opcode.SHOT_BATCH, q - p, shots, true);
            int rs = FrameCodec.getU16(response, p);
            int ro = FrameCodec.getU16(response, p + 2);
            if (rs != shots || ro != info.outputs() || got != 4 + 2 * rs * ro) {
                throw new CorruptFrameException(FrameProblem.BAD_LENGTH, "SHOT_BATCH answer of " + got
                        + " bytes announces " + rs + "x" + ro + ", expected " + shots + "x" + info.outputs());
            }
            int r = p + 4;
            for (int s = 0; s < shots; s++) {
                int[] row = out[start + s];
                for (int k = 0; k < ro; k++, r += 2) {
                    row[k] = FrameCodec.getU16(response, r);
                }
            }
        }
    }

    @Override
    public Sensors sensors() {
        ensureOpen();
        return ask(Opcode.READ_SENSORS, AnswerCodec::readSensors, "");
    }

    @Override
    public SelfTestReport selfTest() {
        ensureOpen();
        return ask(Opcode.SELF_TEST, AnswerCodec::readSelfTest, "");
    }

    @Override
    public void reset() {
        ensureOpen();
        try {
            exchange(request, Opcode.RESET, 0, 0, false);
        } catch (DeviceTimeoutException | CorruptFrameException e) {
            resetLog.warn(transport.describe() + ": RESET request not answered (" + e.getMessage()
                    + "); pulsing the RESET line");
            transport.pulseReset();
            lineResets++;
        }
        java.util.Arrays.fill(paramCached, false);
    }

    @Override
    public Optional<EnergyCounters> energy() {
        ensureOpen();
        if (!info.energyCounter()) {
            return Optional.empty();
        }
        return Optional.of(ask(Opcode.READ_ENERGY, AnswerCodec::readEnergy, "malformed READ_ENERGY answer: "));
    }

    @Override
    public long bytesTransferred() {
        return bytes;
    }

    @Override
    public LinkStats stats() {
        Map<Status, Long> statuses = new EnumMap<>(Status.class);
        for (Status st : Status.values()) {
            if (statusAnswers[st.code()] > 0) {
                statuses.put(st, statusAnswers[st.code()]);
            }
        }
        return new LinkStats(requests, retries, timeouts, corruptFrames, lineResets, paramReloads, foreignWrites,
                statuses);
    }

    @Override
    public int verifyParams() {
        ensureOpen();
        if (slotChecksums < 0) {
            return -1;
        }
        int n;
        try {
            n = exchange(request, Opcode.SLOT_CHECKSUMS, 0, 0, true);
        } catch (DeviceStatusException e) {
            if (e.status() != Status.UNKNOWN_OPCODE) {
                throw e;
            }
            slotChecksums = -1;
            Logger.warn("{}: firmware {} predates SLOT_CHECKSUMS; parameters written by someone else go unnoticed",
                    transport.describe(), info.firmwareVersion());
            return -1;
        }
        slotChecksums = 1;
        int slots = SlotChecksums.slots(response, PAYLOAD_OFFSET, n);
        if (slots < 0) {
            corruptFrames++;
            throw new CorruptFrameException(FrameProblem.BAD_LENGTH, "SLOT_CHECKSUMS answer of " + n
                    + " bytes does not match its slot count");
        }
        boolean[] overwritten = new boolean[paramCached.length]; // read all first: a reload reuses the response buffer
        for (int s = 0; s < Math.min(slots, paramCached.length); s++) {
            overwritten[s] = paramCached[s] && SlotChecksums.loaded(response, PAYLOAD_OFFSET, s)
                    && SlotChecksums.checksum(response, PAYLOAD_OFFSET, s)
                    != SlotChecksums.checksum(paramCache[s], info.params());
        }
        int reloaded = 0;
        for (int s = 0; s < overwritten.length; s++) {
            if (overwritten[s]) {
                Logger.warn("{}: slot {} holds parameters this host did not load (someone else wrote it); reloading",
                        transport.describe(), s);
                foreignWrites++;
                reloadSlot(s);
                reloaded++;
            }
        }
        return reloaded;
    }

    @Override
    public Optional<LabControl> lab() {
        if (!info.emulated()) {
            return Optional.empty();
        }
        return Optional.of(new LabControl() {
            @Override
            public void setAmbientTemperature(double celsius) {
                lab(Payloads.LAB_SET_AMBIENT, Math.round(celsius * 1000), 0);
            }

            @Override
            public void advanceClock(double seconds) {
                if (seconds < 0) {
                    throw new IllegalArgumentException("time runs forward only");
                }
                lab(Payloads.LAB_ADVANCE_CLOCK, 0, Math.round(seconds * 1e6));
            }
        });
    }

    private void lab(int flags, long ambientMilli, long advanceMicros) {
        ensureOpen();
        int p = PAYLOAD_OFFSET;
        request[p] = (byte) flags;
        FrameCodec.putI64(request, p + 1, ambientMilli);
        FrameCodec.putI64(request, p + 9, advanceMicros);
        exchange(request, Opcode.LAB_ENVIRONMENT, Payloads.LAB_BYTES, 0, true);
    }

    @Override
    public String describe() {
        return transport.describe();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            transport.close();
        }
    }

    // ---------------------------------------------------------------- request/response engine

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("device link is closed");
        }
    }

    private void checkSlot(Opcode op, int slot) {
        if (slot < 0 || slot >= info.slots()) {
            throw new DeviceStatusException(Status.BAD_SLOT, op,
                    "slot " + slot + " outside 0.." + (info.slots() - 1) + " (refused by host)");
        }
    }

    private void checkCodes(Opcode op, String what, int[] codes, int expected) {
        if (codes.length != expected) {
            throw new DeviceStatusException(Status.BAD_VECTOR_LENGTH, op, what + " vector has " + codes.length
                    + " codes, device " + info.serialHex() + " expects " + expected + " (refused by host)");
        }
        int max = info.maxDacCode();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] > max) {
                throw new DeviceStatusException(Status.CODE_OUT_OF_RANGE, op, what + " code " + codes[i] + " at index "
                        + i + " outside 0.." + max + " (" + info.dacBits() + "-bit DAC; refused by host)");
            }
        }
    }

    private long timeoutNanos(int shots) {
        long typical = info == null ? 0 : info.typicalShotMicros() * 1000;
        return options.responseTimeout().toNanos() + 2L * shots * typical;
    }

    /**
     * Sends the request whose payload is already in {@code buf} and returns the OK response's payload length
     * (payload in {@link #response}). Retries transient faults; after {@code timeoutsBeforeReset} consecutive
     * timeouts pulses RESET and reloads slots (only when {@code recover}).
     */
    private int exchange(byte[] buf, Opcode op, int payloadLen, int shots, boolean recover) {
        int attempts = 0;
        int consecutiveTimeouts = 0;
        int resets = 0;
        String last = "no attempt";
        FrameProblem lastProblem = null;
        boolean lastWasTimeout = false;
        while (attempts < options.maxAttempts()) {
            attempts++;
            if (attempts > 1) {
                retries++;
            }
            seq = (seq + 1) & 0xFFFF;
            int len = FrameCodec.seal(buf, version, op.code(), seq, 0, payloadLen);
            transport.send(buf, len);
            bytes += len;
            Outcome o = awaitResponse(op, seq, timeoutNanos(shots));
            switch (o) {
                case OK -> {
                    requests++;
                    return responseLength;
                }
                case TIMEOUT -> {
                    timeouts++;
                    consecutiveTimeouts++;
                    lastWasTimeout = true;
                    last = "no response within " + timeoutNanos(shots) / 1_000_000 + " ms";
                    if (recover && consecutiveTimeouts >= options.timeoutsBeforeReset()
                            && resets < options.maxLineResets()) {
                        resetLineAndReload(op, consecutiveTimeouts);
                        resets++;
                        consecutiveTimeouts = 0;
                        attempts = 0; // a fresh device deserves a fresh set of attempts
                    }
                }
                case CORRUPT -> {
                    corruptFrames++;
                    consecutiveTimeouts = 0;
                    lastWasTimeout = false;
                    lastProblem = lastFrameProblem;
                    last = "corrupted response: " + lastFrameProblem.meaning();
                }
                case STATUS -> {
                    consecutiveTimeouts = 0;
                    String problem = statusProblem(buf, op, recover);
                    if (problem != null) {
                        lastWasTimeout = false;
                        lastProblem = lastFrameProblem;
                        last = problem;
                    }
                }
            }
        }
        String msg = op + " failed after " + options.maxAttempts() + " attempts on " + transport.describe()
                + ": " + last;
        if (lastWasTimeout) {
            throw new DeviceTimeoutException(msg);
        }
        throw new CorruptFrameException(lastProblem == null ? FrameProblem.BAD_CRC : lastProblem, msg);
    }

    /** After repeated timeouts: pulse the RESET line and reload every slot the device has forgotten. */
    private void resetLineAndReload(Opcode op, int consecutiveTimeouts) {
        resetLog.warn(transport.describe() + ": " + consecutiveTimeouts + " consecutive timeouts on " + op
                + "; pulsing RESET line");
        transport.pulseReset();
        lineResets++;
        reloadAll();
    }

    /**
     * Deals with a non-OK answer. Throws the {@link DeviceStatusException} when retrying cannot help; returns null
     * when it reloaded the slot the device had lost; otherwise returns the problem to retry (and sets
     * {@link #lastFrameProblem}).
     */
    private String statusProblem(byte[] buf, Opcode op, boolean recover) {
        int code = FrameCodec.status(response);
        Status st = Status.fromCode(code);
        if (st == null) {
            corruptFrames++;
            lastFrameProblem = FrameProblem.BAD_LENGTH;
            return "unknown status code " + code;
        }
        statusAnswers[st.code()]++;
        if (st == Status.SLOT_EMPTY && recover && op != Opcode.LOAD_PARAMS) {
            int slot = buf[PAYLOAD_OFFSET] & 0xFF;
            if (slot < paramCached.length && paramCached[slot]) {
                Logger.info("{}: slot {} lost (device rebooted?); reloading parameters", transport.describe(), slot);
                reloadSlot(slot);
                return null;
            }
            throw new DeviceStatusException(st, op, op + " on slot " + slot + ": no parameters loaded");
        }
        if (st.isTransient()) {
            if (st == Status.BAD_CRC || st == Status.BAD_LENGTH) {
                corruptFrames++;
            }
            lastFrameProblem = FrameProblem.BAD_CRC;
            return "device answered " + st + " (" + st.meaning() + ")";
        }
        throw new DeviceStatusException(st, op, op + " refused by device " + describeDevice() + ": " + st.meaning());
    }

    private String describeDevice() {
        return info == null ? "(unidentified)" : info.serialHex();
    }

    private enum Outcome { OK, TIMEOUT, CORRUPT, STATUS }

    private FrameProblem lastFrameProblem;

    private Outcome awaitResponse(Opcode op, int expectSeq, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Outcome.TIMEOUT;
            }
            int n = transport.receive(response, left);
            if (n < 0) {
                return Outcome.TIMEOUT;
            }
            bytes += n;
            FrameProblem p = FrameCodec.check(response, n);
            if (p != null) {
                lastFrameProblem = p;
                return Outcome.CORRUPT;
            }
            if (FrameCodec.seq(response) != expectSeq
                    || FrameCodec.opcodeByte(response) != (op.code() | Opcode.RESPONSE_BIT)) {
                continue; // a late answer to an earlier request: drop it and keep waiting
            }
            responseLength = FrameCodec.payloadLength(response);
            return FrameCodec.status(response) == Status.OK.code() ? Outcome.OK : Outcome.STATUS;
        }
    }

    private void reloadSlot(int slot) {
        int n = Payloads.writeVector(reload, PAYLOAD_OFFSET, slot, paramCache[slot]);
        exchange(reload, Opcode.LOAD_PARAMS, n, 0, false);
        paramReloads++;
    }

    private void reloadAll() {
        if (paramCached == null) {
            return; // still opening: nothing loaded yet
        }
        for (int s = 0; s < paramCached.length; s++) {
            if (paramCached[s]) {
                try {
                    reloadSlot(s);
                } catch (DeviceException e) {
                    reloadLog.warn(transport.describe() + ": reloading slot " + s + " after reset failed: "
                            + e.getMessage());
                }
            }
        }
    }
}

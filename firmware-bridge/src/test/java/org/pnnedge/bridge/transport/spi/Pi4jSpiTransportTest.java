package org.pnnedge.bridge.transport.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pnnedge.bridge.StatusAssertions.assertRefused;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.pi4j.context.Context;
import com.pi4j.io.IOType;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pnnedge.bridge.DeviceAddress;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LabControl;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.Sensors;
import org.pnnedge.bridge.TransportException;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.EmulatorEndpoint;
import org.pnnedge.bridge.emulator.FaultConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.transport.Transport;

/**
 * The real-hardware transport driven through Pi4J's own API: {@link DeviceContext#withPi4j} opens
 * {@code spi:0.0?ready=24&reset=25}, {@link Pi4jSpiTransport} asks the Pi4J context for an {@link Spi}, a
 * DATA_READY {@link DigitalInput} and a RESET {@link DigitalOutput}, and gets {@link EmulatorSpiProvider}'s
 * emulator-backed SPI plus Pi4J's mock digital I/O. Every result is compared with the same seed opened in-process.
 */
class Pi4jSpiTransportTest {
    private static final String URI = "spi:0.0?ready=24&reset=25&timeout=100";
    private static final long SEED = 4242;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** One emulated board on a Pi4J context, and the link the application would get. */
    private record Bench(EmulatedDevice device, EmulatorSpiProvider board, Context pi4j, DeviceContext devices,
                         DeviceLink link) {
        EmulatorSpiProvider.EmulatorSpi spi() {
            return board.spi();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Bench bench(EmulatorConfig config, String uri) {
        EmulatedDevice device = new EmulatedDevice(config);
        EmulatorSpiProvider board = new EmulatorSpiProvider(device);
        Context pi4j = board.newContext();
        toClose.add(pi4j::shutdown);
        DeviceContext devices = DeviceContext.withPi4j(pi4j);
        toClose.add(devices);
        DeviceLink link = uri == null ? null : devices.open(uri);
        return new Bench(device, board, pi4j, devices, link);
    }

    private DeviceLink inProcess(String uri) {
        DeviceContext devices = DeviceContext.create();
        toClose.add(devices);
        return devices.open(uri);
    }

    private static EmulatorConfig config(PhysicsKind kind, Timing timing) {
        return EmulatorConfig.builder(kind).seed(SEED).timing(timing).noise(false).build();
    }

    private static String emulatorUri(PhysicsKind kind, String extra) {
        return "emulator:" + kind.id() + "?seed=" + SEED + "&timing=zero&noise=off" + extra;
    }

    private static int[] random(SplittableRandom r, int n, int max) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(max + 1);
        }
        return v;
    }

    /** Runs {@code op} on the Pi4J link, then on the in-process link; asserts equal results; returns the first. */
    private static <T> T same(String what, DeviceLink pi4j, DeviceLink ref, Function<DeviceLink, T> op) {
        T a = op.apply(pi4j);
        T b = op.apply(ref);
        assertTrue(Arrays.deepEquals(new Object[] {a}, new Object[] {b}),
                () -> what + ": Pi4J path " + Arrays.deepToString(new Object[] {a}) + " but in-process "
                        + Arrays.deepToString(new Object[] {b}));
        return a;
    }

    /** Records every state change of a Pi4J digital line with its time. */
    private record Edge(long nanos, DigitalState state) {
    }

    private static List<Edge> record(com.pi4j.io.gpio.digital.Digital<?, ?, ?> line) {
        List<Edge> edges = new CopyOnWriteArrayList<>();
        line.addListener(e -> edges.add(new Edge(System.nanoTime(), e.state())));
        return edges;
    }

    private static long count(List<Edge> edges, DigitalState state) {
        return edges.stream().filter(e -> e.state() == state).count();
    }

    // ------------------------------------------------------------------------------------------------ opcodes

    @ParameterizedTest
    @EnumSource(PhysicsKind.class)
    void everyOpcodeThroughPi4jMatchesInProcess(PhysicsKind kind) {
        EmulatorConfig config = config(kind, Timing.ZERO);
        String refUri = emulatorUri(kind, "");
        assertEquals(config, ((EmulatorEndpoint) DeviceAddress.parse(refUri).endpoint()).config(),
                "the Pi4J bench and the in-process URI must describe the same emulated device");
        Bench b = bench(config, URI);
        DeviceLink pi = b.link();
        DeviceLink ref = inProcess(refUri);
        List<Edge> ready = record(b.spi().readyLine());
        long frames0 = b.board().requestFrames();
        long requests0 = pi.stats().requests();

        DeviceInfo info = same("identify", pi, ref, DeviceLink::identify);
        assertEquals(kind, info.kind());
        assertEquals(b.device().info(), info);
        assertEquals(info, pi.info());
        assertTrue(info.emulated());

        SplittableRandom r = new SplittableRandom(7);
        int[] params = random(r, info.params(), info.maxDacCode());
        same("loadParams", pi, ref, l -> {
            l.loadParams(3, params);
            return 0;
        });
        int[] input = random(r, info.inputs(), info.maxDacCode());
        int[] out = same("shot", pi, ref, l -> l.shot(3, input));
        assertEquals(info.outputs(), out.length);
        for (int o : out) {
            assertTrue(o >= 0 && o <= info.maxAdcCode(), () -> "ADC code out of range: " + Arrays.toString(out));
        }
        int[] reuse = new int[info.outputs()];
        same("shot into caller's array", pi, ref, l -> {
            l.shot(3, input, reuse);
            return reuse.clone();
        });

        // a batch larger than the device's limit is split into two SHOT_BATCH frames
        int n = info.maxBatch() + 7;
        int[][] inputs = new int[n][];
        for (int i = 0; i < n; i++) {
            inputs[i] = random(r, info.inputs(), info.maxDacCode());
        }
        long before = pi.stats().requests();
        long framesBefore = b.board().requestFrames();
        int[][] outs = same("shotBatch of maxBatch+7", pi, ref, l -> l.shotBatch(3, inputs));
        assertEquals(n, outs.length);
        assertEquals(2, pi.stats().requests() - before, "split into two frames");
        assertEquals(2, b.board().requestFrames() - framesBefore, "two request frames on the SPI bus");

        Sensors sensors = same("sensors", pi, ref, DeviceLink::sensors);
        assertEquals(22.0, sensors.temperatureC(), 0.5);
        assertTrue(sensors.get(Sensor.SHOT_COUNT).orElseThrow() >= n + 2);
        assertTrue(sensors.get(kind == PhysicsKind.SHG ? Sensor.LASER_POWER : Sensor.SUPPLY_VOLTAGE).isPresent());
        SelfTestReport st = same("selfTest", pi, ref, DeviceLink::selfTest);
        assertTrue(st.passed(), () -> "self test: " + st);

        same("lab", pi, ref, l -> {
            LabControl lab = l.lab().orElseThrow();
            lab.setAmbientTemperature(40);
            lab.advanceClock(3600);
            return 0;
        });
        Sensors warm = same("sensors after an hour at 40 °C", pi, ref, DeviceLink::sensors);
        assertTrue(warm.temperatureC() > 39, () -> "device follows ambient: " + warm.temperatureC());
        same("shot after an hour at 40 °C", pi, ref, l -> l.shot(3, input));

        double boots = warm.get(Sensor.BOOT_COUNT).orElseThrow();
        same("reset", pi, ref, l -> {
            l.reset();
            return 0;
        });
        assertEquals(boots + 1, same("sensors after reset", pi, ref, DeviceLink::sensors)
                .get(Sensor.BOOT_COUNT).orElseThrow());
        assertRefused(Status.SLOT_EMPTY, () -> pi.shot(3, input));
        assertRefused(Status.SLOT_EMPTY, () -> ref.shot(3, input));

        LinkStats stats = pi.stats();
        assertEquals(0, stats.timeouts(), () -> "clean bus: " + stats);
        assertEquals(0, stats.lineResets(), "RESET request answered: no line pulse");
        assertEquals(0, stats.retries());
        // every request crossed Pi4J's Spi, and DATA_READY rose once per response on the Pi4J input
        long frames = b.board().requestFrames() - frames0;
        assertEquals(stats.requests() - requests0 + 1, frames, "one request frame per request (+1 SLOT_EMPTY)");
        assertEquals(frames, count(ready, DigitalState.HIGH), "one DATA_READY rise per response");
        assertTrue(b.spi().readyLine().isLow(), "DATA_READY low once the response is clocked out");
    }

    @ParameterizedTest
    @EnumSource(PhysicsKind.class)
    void realisticTimingWaitsOnDataReady(PhysicsKind kind) {
        long shotMicros = 2000;
        EmulatorConfig config = EmulatorConfig.builder(kind).seed(SEED).timing(Timing.REALISTIC)
                .shotMicros(shotMicros).noise(false).build();
        Bench b = bench(config, URI);
        DeviceLink pi = b.link();
        DeviceLink ref = inProcess("emulator:" + kind.id() + "?seed=" + SEED
                + "&timing=realistic&shot_us=" + shotMicros + "&noise=off");
        DeviceInfo info = same("identify", pi, ref, DeviceLink::identify);
        assertEquals(shotMicros, info.typicalShotMicros());

        SplittableRandom r = new SplittableRandom(3);
        int[] params = random(r, info.params(), info.maxDacCode());
        pi.loadParams(0, params);
        ref.loadParams(0, params);
        int[] input = random(r, info.inputs(), info.maxDacCode());

        List<Edge> ready = record(b.spi().readyLine());
        long t0 = System.nanoTime();
        int[] out = pi.shot(0, input);
        long shotNanos = System.nanoTime() - t0;
        assertArrayEquals(ref.shot(0, input), out);
        assertTrue(shotNanos >= shotMicros * 1000, () -> "a shot cannot answer before the shot time: " + shotNanos);
        assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW), ready.stream().map(Edge::state).toList(),
                "DATA_READY rises once the shot is done and falls when the response is clocked out");
        assertTrue(ready.get(0).nanos() - t0 >= shotMicros * 1000, "DATA_READY rose before the modelled shot time");

        int shots = 8;
        int[][] inputs = new int[shots][];
        for (int i = 0; i < shots; i++) {
            inputs[i] = random(r, info.inputs(), info.maxDacCode());
        }
        long t1 = System.nanoTime();
        int[][] outs = pi.shotBatch(0, inputs);
        long batchNanos = System.nanoTime() - t1;
        assertTrue(Arrays.deepEquals(ref.shotBatch(0, inputs), outs));
        assertTrue(batchNanos >= shots * shotMicros * 1000, () -> "batch of " + shots + " took " + batchNanos + " ns");
        same("sensors after timed shots", pi, ref, DeviceLink::sensors);
        assertEquals(0, pi.stats().timeouts(), () -> "no timeouts waiting on DATA_READY: " + pi.stats());
    }

    // ------------------------------------------------------------------------------------------------ lines

    @ParameterizedTest
    @EnumSource(PhysicsKind.class)
    void stuckDataReadyIsRecoveredThroughTheResetLine(PhysicsKind kind) {
        EmulatorConfig config = EmulatorConfig.builder(kind).seed(SEED).timing(Timing.ZERO).noise(false)
                .drift(false).build();
        Bench b = bench(config, URI + "&boot_ms=10");
        DeviceLink pi = b.link();
        DeviceLink ref = inProcess(emulatorUri(kind, "&drift=off"));
        DeviceInfo info = pi.info();
        SplittableRandom r = new SplittableRandom(9);
        int[] params = random(r, info.params(), info.maxDacCode());
        int[] input = random(r, info.inputs(), info.maxDacCode());
        pi.loadParams(1, params);
        ref.loadParams(1, params);
        int[] expected = ref.shot(1, input);
        assertArrayEquals(expected, pi.shot(1, input));

        MockDigitalOutput reset = b.spi().resetLine();
        List<Edge> resetEdges = record(reset);
        // the firmware hangs on the next request until someone pulls RESET low
        reset.addListener(e -> {
            if (e.state() == DigitalState.LOW) {
                b.device().setFaults(FaultConfig.NONE);
            }
        });
        long boots = b.device().bootCount();
        b.device().setFaults(new FaultConfig(0, 0, 1.0, 0));

        int[] out = pi.shot(1, input);

        assertArrayEquals(expected, out, "after the line reset the link reloaded slot 1 and repeated the shot");
        LinkStats stats = pi.stats();
        assertTrue(stats.lineResets() > 0, () -> "RESET line pulsed: " + stats);
        assertTrue(stats.timeouts() >= 2, () -> "timeouts before the pulse: " + stats);
        assertTrue(stats.paramReloads() > 0, () -> "parameters reloaded: " + stats);
        assertEquals(List.of(DigitalState.LOW, DigitalState.HIGH), resetEdges.stream().map(Edge::state).toList());
        assertTrue(reset.isHigh(), "RESET released");
        assertEquals(boots + 1, b.device().bootCount(), "the device rebooted when RESET was released");
        assertArrayEquals(expected, pi.shot(1, input), "healthy again");
    }

    @Test
    void resetPulseIsVisibleOnTheMockOutput() {
        Bench b = bench(config(PhysicsKind.CIRCUIT, Timing.ZERO), null);
        Transport t = b.devices().openTransport(DeviceAddress.parse(URI + "&boot_ms=5"));
        Pi4jSpiTransport transport = assertInstanceOf(Pi4jSpiTransport.class, t);
        MockDigitalOutput reset = b.spi().resetLine();
        MockDigitalInput ready = b.spi().readyLine();
        assertTrue(reset.isHigh(), "RESET idles high (active low)");
        List<Edge> edges = record(reset);
        List<String> seenWhileHeld = new CopyOnWriteArrayList<>();
        reset.addListener(e -> {
            if (e.state() == DigitalState.LOW) {
                seenWhileHeld.add("ready=" + ready.state());
            }
        });
        long boots = b.device().bootCount();

        transport.pulseReset();

        assertEquals(List.of(DigitalState.LOW, DigitalState.HIGH), edges.stream().map(Edge::state).toList());
        long lowNanos = edges.get(1).nanos() - edges.get(0).nanos();
        assertTrue(lowNanos >= transport.config().resetPulse().toNanos(), () -> "held low for " + lowNanos + " ns");
        assertEquals(List.of("ready=LOW"), seenWhileHeld);
        assertEquals(boots + 1, b.device().bootCount());
        assertTrue(reset.isHigh());
    }

    // ------------------------------------------------------------------------------------------------ bad input

    @ParameterizedTest
    @EnumSource(PhysicsKind.class)
    void badInputsGiveSpecificExceptions(PhysicsKind kind) {
        Bench b = bench(config(kind, Timing.ZERO), URI);
        DeviceLink pi = b.link();
        DeviceInfo info = pi.info();
        SplittableRandom r = new SplittableRandom(2);
        int[] params = random(r, info.params(), info.maxDacCode());
        int[] input = random(r, info.inputs(), info.maxDacCode());
        pi.loadParams(0, params);

        var shortParams = assertRefused(Status.BAD_VECTOR_LENGTH,
                () -> pi.loadParams(0, Arrays.copyOf(params, params.length - 1)));
        assertEquals(Status.BAD_VECTOR_LENGTH, shortParams.status());
        assertRefused(Status.BAD_VECTOR_LENGTH,
                () -> pi.shot(0, Arrays.copyOf(input, input.length + 1)));
        assertRefused(Status.BAD_VECTOR_LENGTH,
                () -> pi.shotBatch(0, new int[][] {input, Arrays.copyOf(input, 1)}));

        int[] tooHigh = input.clone();
        tooHigh[tooHigh.length - 1] = info.maxDacCode() + 1;
        var range = assertRefused(Status.CODE_OUT_OF_RANGE, () -> pi.shot(0, tooHigh));
        assertEquals(Status.CODE_OUT_OF_RANGE, range.status());
        int[] negative = params.clone();
        negative[0] = -1;
        assertRefused(Status.CODE_OUT_OF_RANGE, () -> pi.loadParams(0, negative));

        var slot = assertRefused(Status.BAD_SLOT, () -> pi.shot(info.slots(), input));
        assertEquals(Status.BAD_SLOT, slot.status());
        assertRefused(Status.BAD_SLOT, () -> pi.loadParams(-1, params));
        assertRefused(Status.BAD_SLOT,
                () -> pi.shotBatch(info.slots() + 3, new int[][] {input}));

        // refused by the device itself, through the SPI bus
        long frames = b.board().requestFrames();
        var empty = assertRefused(Status.SLOT_EMPTY, () -> pi.shot(info.slots() - 1, input));
        assertEquals(Status.SLOT_EMPTY, empty.status());
        assertEquals(frames + 1, b.board().requestFrames());

        assertEquals(info.outputs(), pi.shot(0, input).length, "the link is still fine");
        assertEquals(0, pi.stats().timeouts());
    }

    // ------------------------------------------------------------------------------------------------ Pi4J wiring

    @Test
    void pi4jContextUsesTheEmulatorSpiAndMockDigitalProviders() {
        Bench b = bench(config(PhysicsKind.SHG, Timing.ZERO), URI);
        Context pi4j = b.pi4j();
        assertEquals(EmulatorSpiProvider.ID, pi4j.provider(IOType.SPI).id());
        assertEquals(MockDigitalInputProvider.ID, pi4j.provider(IOType.DIGITAL_INPUT).id());
        assertEquals(MockDigitalOutputProvider.ID, pi4j.provider(IOType.DIGITAL_OUTPUT).id());

        List<Spi> spis = List.copyOf(pi4j.registry().allByType(Spi.class).values());
        assertEquals(1, spis.size());
        Spi spi = spis.get(0);
        assertInstanceOf(EmulatorSpiProvider.EmulatorSpi.class, spi);
        assertEquals(EmulatorSpiProvider.ID, spi.provider().id());
        assertTrue(spi.isOpen());
        assertEquals(0, spi.config().bus().getBus());
        assertEquals(0, spi.config().address());
        assertEquals(SpiLinkConfig.DEFAULT_BAUD, spi.config().baud());
        assertEquals(SpiMode.MODE_0, spi.config().mode());

        DigitalInput ready = b.spi().readyLine();
        DigitalOutput reset = b.spi().resetLine();
        assertEquals(24, ready.address());
        assertEquals(25, reset.address());
        assertEquals(MockDigitalInputProvider.ID, ready.provider().id());
        assertEquals(MockDigitalOutputProvider.ID, reset.provider().id());
        assertTrue(b.link().describe().startsWith("spi:0.0"), b.link().describe());
        assertTrue(b.board().bytes() > 0);

        b.link().close();
        assertFalse(pi4j.registry().exists(spi.id()), "closing the link releases the Pi4J SPI device");
        assertFalse(pi4j.registry().exists(ready.id()));
        assertFalse(pi4j.registry().exists(reset.id()));
    }

    @Test
    void otherWiringIsHonouredAndWrongWiringFailsCleanly() {
        EmulatedDevice device = new EmulatedDevice(config(PhysicsKind.CIRCUIT, Timing.ZERO));
        EmulatorSpiProvider board = new EmulatorSpiProvider(device, 0, 1, 5, 6);
        Context pi4j = board.newContext();
        toClose.add(pi4j::shutdown);
        DeviceContext devices = DeviceContext.withPi4j(pi4j);
        toClose.add(devices);
        // nothing on CE0, and the device only speaks SPI mode 0
        assertThrows(TransportException.class, () -> devices.open("spi:0.0?ready=5&reset=6&timeout=50"));
        assertThrows(TransportException.class, () -> devices.open("spi:0.1?ready=5&reset=6&mode=1&timeout=50"));
        // a failed open leaves no GPIO behind: the right address opens on the same Pi4J context
        DeviceLink link = devices.open("spi:0.1?ready=5&reset=6&timeout=50");
        assertEquals(device.info(), link.identify());
        assertEquals(5, board.spi().readyLine().address());
    }

    @Test
    void failedSpiTransferSurfacesAsTransportException() {
        Bench b = bench(config(PhysicsKind.SHG, Timing.ZERO), URI);
        // Pi4J's linuxfs provider returns -1 (and only logs) when the spidev ioctl fails
        b.board().failNextTransfers(1);
        TransportException e = assertThrows(TransportException.class, () -> b.link().sensors());
        assertTrue(e.getMessage().contains("spi:0.0"), e.getMessage());
        assertTrue(b.link().sensors().temperatureC() > 0, "next request goes through");
    }
}

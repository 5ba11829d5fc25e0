package org.pnnedge.bridge.transport.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.exception.ShutdownException;
import com.pi4j.io.exception.IOException;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBase;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.io.spi.SpiProvider;
import com.pi4j.io.spi.SpiProviderBase;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

import org.pnnedge.bridge.emulator.EmulatedDevice;

/**
 * A Pi4J {@link SpiProvider} whose {@link Spi} is wired to an {@link EmulatedDevice}: the test bench's stand-in
 * for a Raspberry Pi with the PNN board on its header. Pi4J's own {@code MockSpi} is a byte FIFO that cannot
 * answer a request, so SPI comes from here; DATA_READY and RESET stay ordinary Pi4J digital I/O from Pi4J's mock
 * plugin, and this provider plays the board's wires:
 * <ul>
 * <li>every SPI transfer is one chip-select-framed transfer on the device ({@link EmulatedDevice#transfer});</li>
 * <li>the device's DATA_READY level is driven onto the {@link MockDigitalInput} at GPIO {@code readyPin}
 * ({@link MockDigitalInput#mockState}): at once when the response is ready, or by a timer at
 * {@link EmulatedDevice#dataReadyAtNanos()} when the emulator models a shot time; low again when the response
 * has been clocked out, a new request starts, or the device is held in reset;</li>
 * <li>state changes of the {@link MockDigitalOutput} at GPIO {@code resetPin} (RESET, active low) reach
 * {@link EmulatedDevice#setReset(boolean)}.</li>
 * </ul>
 * Pi4J 3.0.x keeps exactly one provider per I/O type in a context, and providers given to the context builder
 * replace auto-detected ones, so {@link #newContext()} (builder + this provider + Pi4J's mock digital I/O, no
 * auto-detection) makes every {@code pi4j.create(Spi...)} land here while the code under test
 * ({@link Pi4jSpiTransport}) stays exactly the real-hardware code.
 */
public final class EmulatorSpiProvider extends SpiProviderBase {
    public static final String ID = "pnn-emulator-spi";
    public static final String NAME = "PNN Emulated Device SPI Provider";

    private final EmulatedDevice device;
    private final int bus;
    private final int chipSelect;
    private final int readyPin;
    private final int resetPin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("pnn-emulator-data-ready").factory());
    private final List<EmulatorSpi> opened = new ArrayList<>();
    private final AtomicLong requestFrames = new AtomicLong();
    private final AtomicLong transfers = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger failNextTransfers = new AtomicInteger();

    /** The board as the defaults wire it: SPI0 CE0, DATA_READY on GPIO24, RESET on GPIO25 (BCM numbers). */
    public EmulatorSpiProvider(EmulatedDevice device) {
        this(device, 0, 0, SpiLinkConfig.DEFAULT_READY_PIN, SpiLinkConfig.DEFAULT_RESET_PIN);
    }

    public EmulatorSpiProvider(EmulatedDevice device, int bus, int chipSelect, int readyPin, int resetPin) {
        super(ID, NAME);
        this.device = Objects.requireNonNull(device, "device");
        this.bus = bus;
        this.chipSelect = chipSelect;
        this.readyPin = readyPin;
        this.resetPin = resetPin;
    }

    /**
     * A Pi4J context with this SPI provider and Pi4J's mock digital input/output providers and nothing else:
     * no platform or provider auto-detection, so no plugin on the class path (linuxfs, gpiod, mock SPI) can
     * take over.
     */
    public Context newContext() {
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(this, MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
    }

    public EmulatedDevice device() {
        return device;
    }

    /** SPI transfers that carried a request frame (first MOSI byte 0xA5). */
    public long requestFrames() {
        return requestFrames.get();
    }

    /** All chip-select-framed transfers and their bytes. */
    public long transfers() {
        return transfers.get();
    }

    public long bytes() {
        return bytes.get();
    }

    /** The next {@code n} transfers fail the way Pi4J's linuxfs provider reports a failed ioctl: they return -1. */
    public void failNextTransfers(int n) {
        failNextTransfers.set(n);
    }

    /** The SPI device last created by this provider (what {@link Pi4jSpiTransport} drives). */
    public synchronized EmulatorSpi spi() {
        if (opened.isEmpty()) {
            throw new IllegalStateException("no SPI device created through " + ID);
        }
        return opened.get(opened.size() - 1);
    }

    @Override
    public Spi create(SpiConfig config) {
        int b = config.bus() == null ? 0 : config.bus().getBus();
        int cs = config.address() == null ? 0 : config.address();
        if (b != bus || cs != chipSelect) {
            throw new IOException("nothing is wired to SPI bus " + b + " chip select " + cs + " (the emulated device "
                    + "sits on spi:" + bus + "." + chipSelect + ")");
        }
        if (config.mode() != SpiMode.MODE_0) {
            throw new IOException("the device samples MOSI on the rising edge with the clock idling low (SPI mode 0), "
                    + "got " + config.mode());
        }
        EmulatorSpi spi = new EmulatorSpi(this, config);
        context().registry().add(spi);
        synchronized (this) {
            opened.add(spi);
        }
        return spi;
    }

    @Override
    public SpiProvider shutdown(Context context) throws ShutdownException {
        timer.shutdownNow();
        return super.shutdown(context);
    }

    /** The emulated device on the bus, seen through Pi4J's {@link Spi} API. */
    public static final class EmulatorSpi extends SpiBase {
        private final EmulatorSpiProvider board;
        private final EmulatedDevice device;
        private final Object wires = new Object();
        private final DigitalStateChangeListener resetListener = this::onReset;
        private byte[] scratch = new byte[64];
        private MockDigitalInput ready;
        private MockDigitalOutput reset;
        private long timerAt = Long.MIN_VALUE;

        EmulatorSpi(EmulatorSpiProvider board, SpiConfig config) {
            super(board, config);
            this.board = board;
            this.device = board.device;
        }

        /** The DATA_READY input this SPI device drives (Pi4J mock input at the ready pin). */
        public MockDigitalInput readyLine() {
            synchronized (wires) {
                wire();
                return ready;
            }
        }

        /** The RESET output this SPI device listens to (Pi4J mock output at the reset pin). */
        public MockDigitalOutput resetLine() {
            synchronized (wires) {
                wire();
                return reset;
            }
        }

        @Override
        public void open() {
            super.open();
            synchronized (wires) {
                wire();
                isOpen = true;
            }
        }

        @Override
        public void close() {
            synchronized (wires) {
                if (reset != null) {
                    reset.removeListener(resetListener);
                }
                ready = null;
                reset = null;
                super.close();
            }
        }

        @Override
        public Spi shutdown(Context context) throws ShutdownException {
            close();
            return super.shutdown(context);
        }

        @Override
        public int transfer(byte[] write, int writeOffset, byte[] read, int readOffset, int numberOfBytes) {
            if (!isOpen) {
                throw new IOException("SPI device " + id() + " is not open");
            }
            if (board.failNextTransfers.get() > 0 && board.failNextTransfers.getAndDecrement() > 0) {
                return -1;
            }
            synchronized (wires) {
                wire();
                byte[] mosi = write;
                int mo = writeOffset;
                if (mosi == null) {
                    mosi = zeros(numberOfBytes);
                    mo = 0;
                }
                byte[] miso = read;
                int mi = readOffset;
                if (miso == null) {
                    miso = scratch(numberOfBytes);
                    mi = 0;
                }
                if (numberOfBytes > 0 && (mosi[mo] & 0xFF) == 0xA5) {
                    board.requestFrames.incrementAndGet();
                }
                device.transfer(mosi, mo, miso, mi, numberOfBytes);
                board.transfers.incrementAndGet();
                board.bytes.addAndGet(numberOfBytes);
                driveReady();
            }
            return numberOfBytes;
        }

        @Override
        public int write(byte b) {
            return transfer(new byte[] {b}, 0, null, 0, 1);
        }

        @Override
        public int write(byte[] data, int offset, int length) {
            return transfer(data, offset, null, 0, length);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return transfer(null, 0, one, 0, 1) == 1 ? one[0] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return transfer(null, 0, buffer, offset, length);
        }

        private byte[] zeros(int n) {
            return new byte[n]; // rare path (write-less reads): a fresh zero buffer
        }

        private byte[] scratch(int n) {
            if (scratch.length < n) {
                scratch = new byte[n];
            }
            return scratch;
        }

        /** Finds the DATA_READY input and RESET output the host created in the same Pi4J context. */
        private void wire() {
            if (ready != null && reset != null) {
                return;
            }
            Context ctx = board.context();
            DigitalInput in = null;
            for (DigitalInput d : ctx.registry().allByType(DigitalInput.class).values()) {
                if (d.address() != null && d.address() == board.readyPin) {
                    in = d;
                }
            }
            DigitalOutput out = null;
            for (DigitalOutput d : ctx.registry().allByType(DigitalOutput.class).values()) {
                if (d.address() != null && d.address() == board.resetPin) {
                    out = d;
                }
            }
            if (!(in instanceof MockDigitalInput mockIn)) {
                throw new IOException("DATA_READY (GPIO" + board.readyPin + ") must be a Pi4J mock digital input in "
                        + "this context, found " + (in == null ? "none" : in.getClass().getName()));
            }
            if (!(out instanceof MockDigitalOutput mockOut)) {
                throw new IOException("RESET (GPIO" + board.resetPin + ") must be a Pi4J mock digital output in this "
                        + "context, found " + (out == null ? "none" : out.getClass().getName()));
            }
            ready = mockIn;
            reset = mockOut;
            reset.addListener(resetListener);
            device.setReset(reset.isLow());
            driveReady();
        }

        /** RESET line changed (host called {@code DigitalOutput.state}); Pi4J dispatches on the caller's thread. */
        private void onReset(DigitalStateChangeEvent<?> event) {
            synchronized (wires) {
                device.setReset(event.state() == DigitalState.LOW);
                driveReady();
            }
        }

        /** Timer: the modelled shot time is over. */
        private void onTimer() {
            synchronized (wires) {
                timerAt = Long.MIN_VALUE;
                driveReady();
            }
        }

        /** Puts the device's DATA_READY level on the mock input; arms the timer while a response is being prepared. */
        private void driveReady() {
            if (ready == null) {
                return;
            }
            boolean level = device.dataReady();
            ready.mockState(level ? DigitalState.HIGH : DigitalState.LOW);
            if (!level) {
                long at = device.dataReadyAtNanos();
                if (at != Long.MAX_VALUE && at != timerAt && !board.timer.isShutdown()) {
                    timerAt = at;
                    long delay = Math.max(0, at - System.nanoTime());
                    board.timer.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
                }
            }
        }
    }
}

package org.pnnedge.bridge.emulator;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.transport.spi.SpiSlave;

/**
 * An emulated PNN device as an SPI slave with DATA_READY and RESET lines, implementing protocol.md byte for byte.
 * It wires together the {@link Firmware} (frame dispatch, slots), its {@link SpiPort} (link timing and the
 * {@link FaultInjector}) and the {@link World} (clock, temperatures) around a {@link Physics} model. Thread-safe:
 * every entry point holds the device's lock, so the three parts never see concurrent calls.
 */
public final class EmulatedDevice implements SpiSlave {
    private final EmulatorConfig config;
    private final Firmware firmware;
    private final FaultInjector faults;
    private final SpiPort port;

    public EmulatedDevice(EmulatorConfig config) {
        this.config = config;
        World world = new World(config);
        Physics physics = Physics.create(config.kind(), config.seed(), config.mismatch());
        if (config.session() != 0) {
            physics.startSession(config.session());
        }
        this.firmware = new Firmware(config, physics, world);
        this.faults = new FaultInjector(config.seed(), config.faults());
        this.port = new SpiPort(firmware, faults, config);
    }

    /** What the device answers to IDENTIFY. */
    public DeviceInfo info() {
        return firmware.info();
    }

    public EmulatorConfig config() {
        return config;
    }

    /** Changes the injected faults while the device runs (tests, {@code pnn device tour}). */
    public void setFaults(FaultConfig f) {
        faults.set(f);
    }

    /** Boots since power-up, counting the first (READ_SENSORS reports the same). */
    public synchronized long bootCount() {
        return firmware.bootCount();
    }

    @Override
    public synchronized void transfer(byte[] mosi, int mosiOffset, byte[] miso, int misoOffset, int len) {
        port.transfer(mosi, mosiOffset, miso, misoOffset, len);
    }

    @Override
    public synchronized boolean dataReady() {
        return port.dataReady();
    }

    @Override
    public synchronized long dataReadyAtNanos() {
        return port.dataReadyAtNanos();
    }

    @Override
    public synchronized void setReset(boolean held) {
        port.setReset(held);
    }
}

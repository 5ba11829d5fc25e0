package org.pnnedge.runtime.jmh;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.Sensors;

/**
 * A {@link DeviceLink} whose {@code shot} costs (almost) nothing: it copies the outputs the real device gave for
 * the current row ({@link #row}, recorded in setup) into {@code out}. Everything else goes to the real link.
 * {@code InferenceEngine.classify} on this link measures the engine's host work without any device work.
 */
final class ReplayLink implements DeviceLink {
    private final DeviceLink real;
    private final int[][] outputs;
    int row;

    ReplayLink(DeviceLink real, int[][] outputs) {
        this.real = real;
        this.outputs = outputs;
    }

    @Override
    public DeviceInfo identify() {
        return real.identify();
    }

    @Override
    public DeviceInfo info() {
        return real.info();
    }

    @Override
    public void loadParams(int slot, int[] codes) {
        real.loadParams(slot, codes);
    }

    @Override
    public void shot(int slot, int[] input, int[] out) {
        System.arraycopy(outputs[row], 0, out, 0, out.length);
    }

    @Override
    public void shotBatch(int slot, int[][] inputs, int[][] out) {
        real.shotBatch(slot, inputs, out);
    }

    @Override
    public Sensors sensors() {
        return real.sensors();
    }

    @Override
    public SelfTestReport selfTest() {
        return real.selfTest();
    }

    @Override
    public void reset() {
        real.reset();
    }

    @Override
    public int verifyParams() {
        return real.verifyParams();
    }

    @Override
    public LinkStats stats() {
        return real.stats();
    }

    @Override
    public String describe() {
        return "replay of " + real.describe();
    }

    @Override
    public void close() {
        real.close();
    }
}

package org.pnnedge.runtime.jmh;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.Sensors;

/**
 * A {@link DeviceLink} whose {@code shot} costs (almost) nothing: it copies the outputs the real device gave for
 * the current row ({@link #row}) and slot (the layer), recorded in setup, into {@code out}. Everything else goes
 * to the real link. {@code InferenceEngine.classify} on this link measures the engine's host work without any
 * device work. The outputs are recorded by running each row once through the engine on a link made by
 * {@link #recording(DeviceLink, int)}, then {@link #replay} (any number of layers: a later layer's input is
 * computed from the replayed outputs, so it is the one recorded).
 */
final class ReplayLink implements DeviceLink {
    private final DeviceLink real;
    private final int[][][] outputs; // [row][slot]
    private final int[][][] inputs; // [row][slot], what was sent while recording
    private boolean recording;
    int row;

    private ReplayLink(DeviceLink real, int rows) {
        this.real = real;
        this.outputs = new int[rows][real.info().slots()][];
        this.inputs = new int[rows][real.info().slots()][];
        this.recording = true;
    }

    /** A link that passes shots to {@code real} and records their outputs per row and slot until {@link #replay}. */
    static ReplayLink recording(DeviceLink real, int rows) {
        return new ReplayLink(real, rows);
    }

    /** The input codes the engine sent to {@code slot} for {@code row} while recording (null if none). */
    int[] input(int row, int slot) {
        return inputs[row][slot];
    }

    /** Stops recording: from now on shots replay what was recorded. */
    void replay() {
        recording = false;
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
        if (recording) {
            real.shot(slot, input, out);
            outputs[row][slot] = out.clone();
            inputs[row][slot] = input.clone();
            return;
        }
        System.arraycopy(outputs[row][slot], 0, out, 0, out.length);
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

package org.pnnedge.runtime.ota;

import java.util.Arrays;
import java.util.Optional;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LabControl;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.Sensors;

/**
 * A view of a device link in which every parameter slot is the one spare slot: {@code loadParams(s, codes)}
 * only remembers the codes of virtual slot {@code s}, and a shot on {@code s} first loads them into the spare
 * slot (when it holds something else). Lets a whole candidate network run on the device without touching the
 * slots the serving model occupies. Closing it does not close the real link.
 */
final class SpareSlotLink implements DeviceLink {
    private final DeviceLink link;
    private final int spare;
    private final int[][] virtual;
    private int[] inSpare;

    SpareSlotLink(DeviceLink link, int spare) {
        this.link = link;
        this.spare = spare;
        this.virtual = new int[link.info().slots()][];
    }

    @Override
    public DeviceInfo identify() {
        return link.identify();
    }

    @Override
    public DeviceInfo info() {
        return link.info();
    }

    @Override
    public void loadParams(int slot, int[] codes) {
        virtual[slot] = codes.clone();
    }

    private void select(int slot) {
        int[] codes = virtual[slot];
        if (codes == null) {
            throw new IllegalStateException("virtual slot " + slot + " has no parameters loaded");
        }
        if (!Arrays.equals(codes, inSpare)) {
            link.loadParams(spare, codes);
            inSpare = codes;
        }
    }

    @Override
    public void shot(int slot, int[] input, int[] out) {
        select(slot);
        link.shot(spare, input, out);
    }

    @Override
    public void shotBatch(int slot, int[][] inputs, int[][] out) {
        select(slot);
        link.shotBatch(spare, inputs, out);
    }

    @Override
    public Sensors sensors() {
        return link.sensors();
    }

    @Override
    public SelfTestReport selfTest() {
        return link.selfTest();
    }

    @Override
    public void reset() {
        link.reset();
        inSpare = null;
    }

    /** The real link's check: it loaded the spare slot itself, so it knows what the slot must hold. */
    @Override
    public int verifyParams() {
        return link.verifyParams();
    }

    @Override
    public LinkStats stats() {
        return link.stats();
    }

    @Override
    public Optional<LabControl> lab() {
        return link.lab();
    }

    @Override
    public String describe() {
        return link.describe() + " (spare slot " + spare + ")";
    }

    @Override
    public void close() {
        // not ours
    }
}

package org.pnnedge.bridge.emulator.physics;

import org.pnnedge.bridge.PhysicsKind;

/**
 * Channel layout and converters of one physics model, reported by the emulated firmware in IDENTIFY.
 *
 * @param typicalShotMicros modelled time of one shot (settling + integration + readout)
 */
public record PhysicsSpec(PhysicsKind kind, int inputs, int params, int outputs, int dacBits, int adcBits,
                          long typicalShotMicros) {
    public int maxDacCode() {
        return (1 << dacBits) - 1;
    }

    public int maxAdcCode() {
        return (1 << adcBits) - 1;
    }
}

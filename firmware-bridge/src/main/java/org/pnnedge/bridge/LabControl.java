package org.pnnedge.bridge;

/**
 * Laboratory controls of an emulated device: what would be a climate chamber and a clock in a real lab.
 * Only emulators offer it ({@link DeviceLink#lab()}); real firmware answers the opcode with UNKNOWN_OPCODE.
 */
public interface LabControl {
    /** Sets the ambient temperature; the device follows with its thermal time constant. */
    void setAmbientTemperature(double celsius);

    /** Advances the emulated clock (drift evolves with it). */
    void advanceClock(double seconds);
}

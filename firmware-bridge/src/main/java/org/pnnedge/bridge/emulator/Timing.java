package org.pnnedge.bridge.emulator;

/** Whether the emulator makes the host wait as long as the real device would. */
public enum Timing {
    /** DATA_READY rises after the modelled shot time (physics' typical shot time, or the configured override). */
    REALISTIC,
    /** DATA_READY rises at once; the emulated clock still advances by the modelled time. For tests and training. */
    ZERO
}

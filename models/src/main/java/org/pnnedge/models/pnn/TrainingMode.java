package org.pnnedge.models.pnn;

/** How a PNN is trained. */
public enum TrainingMode {
    /** Physics-aware training: forward on the device, backward through the twin at the measured points. */
    PAT,
    /** In-silico: forward and backward through the twin only; the device is used only for evaluation. */
    INSILICO
}

package org.pnnedge.models.twin;

/** The result of a fit: an immutable twin, how well it matches held-out data, and where it came from. */
public record FittedTwin(TrainableTwin twin, TwinReport report, TwinProvenance provenance) {
}

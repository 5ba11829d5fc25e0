package org.pnnedge.bridge;

/**
 * A READ_ENERGY answer (protocol 2): energy the device spent since its last boot, in µJ, in total and per parameter
 * slot (shots and parameter loads on that slot). The total also holds what no slot is charged for (requests other
 * than shots and loads).
 */
public record EnergyCounters(double totalMicrojoules, double[] slotMicrojoules) {
    public EnergyCounters {
        slotMicrojoules = slotMicrojoules.clone();
    }

    @Override
    public double[] slotMicrojoules() {
        return slotMicrojoules.clone();
    }

    public double slot(int slot) {
        return slotMicrojoules[slot];
    }

    public int slots() {
        return slotMicrojoules.length;
    }
}

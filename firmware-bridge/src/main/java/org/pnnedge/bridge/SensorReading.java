package org.pnnedge.bridge;

/** One READ_SENSORS value; {@code id} is kept raw so values from newer firmware are not lost. */
public record SensorReading(int id, double value) {
    /** The known sensor, or null. */
    public Sensor sensor() {
        return Sensor.fromId(id);
    }

    public String key() {
        Sensor s = sensor();
        return s == null ? "sensor_" + id : s.key();
    }

    @Override
    public String toString() {
        Sensor s = sensor();
        return s == null ? key() + "=" + value : "%s=%.3f%s".formatted(s.key(), value, s.unit().isEmpty() ? "" : " " + s.unit());
    }
}

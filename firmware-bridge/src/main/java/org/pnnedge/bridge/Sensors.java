package org.pnnedge.bridge;

import java.util.List;
import java.util.OptionalDouble;

/** A READ_SENSORS answer. */
public record Sensors(List<SensorReading> readings) {
    public Sensors {
        readings = List.copyOf(readings);
    }

    public OptionalDouble get(Sensor sensor) {
        for (SensorReading r : readings) {
            if (r.id() == sensor.id()) {
                return OptionalDouble.of(r.value());
            }
        }
        return OptionalDouble.empty();
    }

    /** Device temperature in °C (every firmware reports it). */
    public double temperatureC() {
        return get(Sensor.DEVICE_TEMPERATURE).orElse(Double.NaN);
    }
}

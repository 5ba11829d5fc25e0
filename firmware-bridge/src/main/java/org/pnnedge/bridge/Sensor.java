package org.pnnedge.bridge;

/** Sensor ids of READ_SENSORS. Values travel as signed 64-bit milli-units. */
public enum Sensor {
    DEVICE_TEMPERATURE(1, "device_temperature", "°C"),
    AMBIENT_TEMPERATURE(2, "ambient_temperature", "°C"),
    UPTIME(3, "uptime", "s"),
    SHOT_COUNT(4, "shot_count", ""),
    BOOT_COUNT(5, "boot_count", ""),
    /** SHG: pump laser power monitor photodiode. */
    LASER_POWER(16, "laser_power", "mW"),
    /** SHG: χ(2) crystal oven temperature. */
    CRYSTAL_TEMPERATURE(17, "crystal_temperature", "°C"),
    /** Circuit: analog supply rail. */
    SUPPLY_VOLTAGE(32, "supply_voltage", "V"),
    /** Circuit: board temperature next to the nonlinear element. */
    BOARD_TEMPERATURE(33, "board_temperature", "°C");

    private final int id;
    private final String key;
    private final String unit;

    Sensor(int id, String key, String unit) {
        this.id = id;
        this.key = key;
        this.unit = unit;
    }

    public int id() {
        return id;
    }

    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    /** The sensor for a wire id, or null for ids this host does not know (kept as raw readings). */
    public static Sensor fromId(int id) {
        for (Sensor s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }
}

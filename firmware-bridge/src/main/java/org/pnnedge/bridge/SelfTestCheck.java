package org.pnnedge.bridge;

/**
 * One SELF_TEST check.
 *
 * @param id       check id (see protocol.md)
 * @param passed   whether the measured value was within the firmware's limits
 * @param measured the measured value, in the unit the check documents
 */
public record SelfTestCheck(int id, boolean passed, double measured) {
    public static final int DAC_LOOPBACK = 1;
    public static final int ADC_REFERENCE = 2;
    public static final int DARK_LEVEL = 3;
    public static final int SOURCE_LEVEL = 4;
    public static final int TEMPERATURE = 5;

    public String name() {
        return switch (id) {
            case DAC_LOOPBACK -> "dac_loopback";
            case ADC_REFERENCE -> "adc_reference";
            case DARK_LEVEL -> "dark_level";
            case SOURCE_LEVEL -> "source_level";
            case TEMPERATURE -> "temperature";
            default -> "check_" + id;
        };
    }
}

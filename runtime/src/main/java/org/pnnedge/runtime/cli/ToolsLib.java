package org.pnnedge.runtime.cli;

import org.pnnedge.models.plot.Chart;

/**
 * The PNG options of the offline tools ({@code fit-twin --plot}, {@code eval --confusion}): refused before any
 * work where no chart renderer is on the class path (the Pi's runtime lib carries none; {@code ./pnn} adds
 * runtime/target/tools-lib).
 */
final class ChartOptions {
    private ChartOptions() {
    }

    static void requireRenderer(String option) {
        if (!Chart.canRender()) {
            throw new CliException(option + " needs the chart renderer (the charts module, an offline tool), which is"
                    + " not on this class path; run it where ./pnn finds runtime/target/tools-lib, or leave " + option
                    + " out");
        }
    }
}

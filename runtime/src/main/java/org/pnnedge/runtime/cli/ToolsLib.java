package org.pnnedge.runtime.cli;

import org.pnnedge.models.plot.Chart;

/**
 * What the offline tools need beyond the Pi's runtime lib (the chart renderer for {@code fit-twin --plot} and
 * {@code eval --confusion}, commons-compress for {@code data mnist}): {@code ./pnn} adds them from
 * runtime/target/tools-lib. Where they are missing, the option or command is refused before any work, saying why.
 */
final class ToolsLib {
    private ToolsLib() {
    }

    static void requireChartRenderer(String option) {
        if (!Chart.canRender()) {
            throw new CliException(option + " needs the chart renderer (the charts module, an offline tool), which is"
                    + " not on this class path; run it where ./pnn finds runtime/target/tools-lib, or leave " + option
                    + " out");
        }
    }

    static void requireTarReader(String command) {
        try {
            Class.forName("org.apache.commons.compress.archivers.tar.TarArchiveInputStream", false,
                    ToolsLib.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CliException(command + " needs commons-compress (an offline tool's library), which is not on"
                    + " this class path; run it where ./pnn finds runtime/target/tools-lib");
        }
    }
}

package org.pnnedge.charts;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.pnnedge.models.plot.Chart;
import org.pnnedge.models.plot.ChartRenderer;
import org.pnnedge.models.plot.ConfusionMatrixChart;
import org.pnnedge.models.plot.LineChart;
import org.pnnedge.models.plot.ScatterChart;

/**
 * The {@link ChartRenderer} of the offline tools: draws charts headless with java.awt (no display, no extra
 * dependency) and writes PNGs. Registered in {@code META-INF/services}; not part of the Pi's runtime lib.
 */
public final class Java2dChartRenderer implements ChartRenderer {

    /** The service-loader constructor. */
    public Java2dChartRenderer() {
    }

    /** Draws the chart into a new ARGB image of its size. */
    public BufferedImage render(Chart chart) {
        return switch (chart) {
            case LineChart c -> LinePainter.render(c);
            case ScatterChart c -> ScatterPainter.render(c);
            case ConfusionMatrixChart c -> ConfusionPainter.render(c);
        };
    }

    @Override
    public void writePng(Chart chart, Path file) throws IOException {
        BufferedImage img = render(chart);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}

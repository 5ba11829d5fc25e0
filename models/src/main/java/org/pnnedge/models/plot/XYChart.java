package org.pnnedge.models.plot;

import java.util.ArrayList;
import java.util.List;

/** What the x–y charts share: title, axis labels, the named series in the order added, the image size. */
public abstract sealed class XYChart implements Chart permits LineChart, ScatterChart {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    final List<Series> series = new ArrayList<>();
    ChartSize size = ChartSize.DEFAULT;

    XYChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public ChartSize size() {
        return size;
    }

    public String xLabel() {
        return xLabel;
    }

    public String yLabel() {
        return yLabel;
    }

    /** The series in the order added (unmodifiable). */
    public List<Series> series() {
        return List.copyOf(series);
    }
}

/**
 * What a chart shows, without drawing it: {@link org.pnnedge.models.plot.LineChart},
 * {@link org.pnnedge.models.plot.ScatterChart} and {@link org.pnnedge.models.plot.ConfusionMatrixChart} hold and
 * validate the data; {@link org.pnnedge.models.plot.ChartRenderer} is the service interface that draws them. The
 * renderer (java.awt, PNG) lives in the {@code charts} module, an offline tool that the Raspberry Pi's runtime lib
 * does not carry (architecture.md, "Charts").
 *
 * <p><b>May import</b> no other models package, and nothing of java.awt or javax.imageio (so the Pi loads no AWT).
 */
package org.pnnedge.models.plot;

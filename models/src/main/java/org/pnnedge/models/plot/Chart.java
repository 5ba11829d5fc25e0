package org.pnnedge.models.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A chart that renders itself to an image with java.awt, headless (no display, no extra dependencies; a
 * Raspberry Pi or CI box can write training curves next to a model bundle).
 *
 * <p>Input problems (empty series, nothing finite, mismatched lengths, …) raise
 * {@link IllegalArgumentException} naming the series and the problem, at the call that introduces them or
 * at {@link #render()} for problems that depend on several settings (e.g. a log axis without positive
 * values).
 */
public sealed interface Chart permits LineChart, ScatterChart, ConfusionMatrixChart {

    /** Renders into a new ARGB image of the configured size. */
    BufferedImage render();

    /** Renders and writes a PNG, creating parent directories. */
    default void write(Path file) {
        BufferedImage img = render();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart to " + file, e);
        }
    }
}

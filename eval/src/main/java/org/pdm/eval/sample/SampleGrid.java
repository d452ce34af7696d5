package org.pdm.eval.sample;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Samples side by side for a first look: a near-square grid in index order, 2 px white gaps. */
public final class SampleGrid {
  static final int GAP = 2;

  private SampleGrid() {}

  /** Columns of a grid of {@code n} pictures: ceil(sqrt(n)). */
  public static int columns(int n) {
    return (int) Math.ceil(Math.sqrt(n));
  }

  /** The grid of {@code pngs} (all {@code width x height}), row-major. */
  public static BufferedImage of(List<byte[]> pngs, int width, int height) throws IOException {
    int cols = columns(pngs.size());
    int rows = (pngs.size() + cols - 1) / cols;
    BufferedImage grid = new BufferedImage(cols * (width + GAP) + GAP, rows * (height + GAP) + GAP,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      for (int i = 0; i < pngs.size(); i++) {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(pngs.get(i)));
        g.drawImage(img, GAP + (i % cols) * (width + GAP), GAP + (i / cols) * (height + GAP), null);
      }
    } finally {
      g.dispose();
    }
    return grid;
  }
}

package org.pdm.train.output;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A grid of equal tiles on a grey background, written as PNG: RGB images given as (3, H, W) floats
 * in [-1, 1], or latents shown as heat maps (mean |z| over channels, scaled to the tile's own range,
 * nearest-neighbour enlarged to the tile size).
 */
public final class ImageGrid {
  private static final int GAP = 2;
  private final int tileWidth;
  private final int tileHeight;
  private final BufferedImage image;

  public ImageGrid(int rows, int cols, int tileWidth, int tileHeight) {
    this.tileWidth = tileWidth;
    this.tileHeight = tileHeight;
    this.image = new BufferedImage(cols * (tileWidth + GAP) + GAP, rows * (tileHeight + GAP) + GAP,
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, 0x808080);
      }
    }
  }

  /** Tile (row, col) from a (3, H, W) image at {@code offset} of {@code chw}, values in [-1, 1]. */
  public void putRgb(int row, int col, float[] chw, int offset) {
    int plane = tileWidth * tileHeight;
    for (int y = 0; y < tileHeight; y++) {
      for (int x = 0; x < tileWidth; x++) {
        int i = offset + y * tileWidth + x;
        int rgb = (byte8(chw[i]) << 16) | (byte8(chw[i + plane]) << 8) | byte8(chw[i + 2 * plane]);
        image.setRGB(x0(col) + x, y0(row) + y, rgb);
      }
    }
  }

  /** Tile (row, col) as the heat map of a (C, H, W) latent at {@code offset} of {@code z}. */
  public void putHeat(int row, int col, float[] z, int offset, int channels, int height, int width) {
    double[] heat = new double[height * width];
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < heat.length; p++) {
        heat[p] += Math.abs(z[offset + c * heat.length + p]) / channels;
      }
    }
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (double v : heat) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double range = hi > lo ? hi - lo : 1;
    for (int y = 0; y < tileHeight; y++) {
      for (int x = 0; x < tileWidth; x++) {
        double v = (heat[(y * height / tileHeight) * width + x * width / tileWidth] - lo) / range;
        image.setRGB(x0(col) + x, y0(row) + y, heatColour(v));
      }
    }
  }

  public BufferedImage image() {
    return image;
  }

  /** Writes the PNG through a temporary file renamed into place, so a reader never sees half of it. */
  public void write(Path png) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp");
    if (!ImageIO.write(image, "png", tmp.toFile())) {
      throw new IOException("no PNG writer");
    }
    Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private int x0(int col) {
    return GAP + col * (tileWidth + GAP);
  }

  private int y0(int row) {
    return GAP + row * (tileHeight + GAP);
  }

  private static int byte8(float v) {
    return (int) Math.round(Math.max(0, Math.min(255, (v + 1) * 127.5)));
  }

  /** Dark blue (0) through red to yellow (1). */
  private static int heatColour(double v) {
    int r = (int) Math.round(255 * Math.min(1, 2 * v));
    int g = (int) Math.round(255 * Math.max(0, 2 * v - 1));
    int b = (int) Math.round(255 * Math.max(0, 0.5 - v));
    return (r << 16) | (g << 8) | b;
  }
}

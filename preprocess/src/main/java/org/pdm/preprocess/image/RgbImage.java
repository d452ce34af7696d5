package org.pdm.preprocess.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * An 8-bit sRGB picture as packed {@code 0xRRGGBB} ints, row by row: the one pixel format every
 * step after decoding works on (no alpha: it is composited on white when decoding).
 *
 * @param width pixels per row
 * @param height rows
 * @param pixels {@code width * height} packed RGB values, row-major
 */
public record RgbImage(int width, int height, int[] pixels) {
  public RgbImage {
    if (width <= 0 || height <= 0 || pixels.length != width * height) {
      throw new IllegalArgumentException("bad image shape " + width + "x" + height + " for " + pixels.length + " pixels");
    }
  }

  public static RgbImage blank(int width, int height) {
    return new RgbImage(width, height, new int[width * height]);
  }

  public int rgb(int x, int y) {
    return pixels[y * width + x];
  }

  public long pixelCount() {
    return (long) width * height;
  }

  /** The pixels inside {@code [x, x+w) x [y, y+h)} as a new image. */
  public RgbImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "x" + h + " outside " + width + "x" + height);
    }
    if (x == 0 && y == 0 && w == width && h == height) {
      return this;
    }
    int[] out = new int[w * h];
    for (int row = 0; row < h; row++) {
      System.arraycopy(pixels, (y + row) * width + x, out, row * w, w);
    }
    return new RgbImage(w, h, out);
  }

  /** A TYPE_INT_RGB view sharing no memory with this image. */
  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] data = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, data, 0, pixels.length);
    return img;
  }

  /** Luma (Rec. 601 weights, as PIL's "L") of every pixel, 0..255. */
  public float[] grey() {
    float[] g = new float[pixels.length];
    for (int i = 0; i < g.length; i++) {
      int p = pixels[i];
      g[i] = 0.299f * ((p >> 16) & 255) + 0.587f * ((p >> 8) & 255) + 0.114f * (p & 255);
    }
    return g;
  }
}

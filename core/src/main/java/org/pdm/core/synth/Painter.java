package org.pdm.core.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/** Paints one photo-like picture of a given size from a seed; the same seed gives the same pixels. */
public interface Painter {
  BufferedImage paint(int width, int height, long seed);

  static Painter forKind(String kind) {
    return kind.equals("people") ? new PeoplePainter() : new ScapePainter();
  }

  /** A graphics context with antialiased edges, as a lens would draw them. */
  static java.awt.Graphics2D antialiased(BufferedImage img) {
    java.awt.Graphics2D g = img.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
    return g;
  }

  /** Sensor-like grain, so that JPEG sizes and sharpness look like photos rather than flat shapes. */
  static void addGrain(BufferedImage img, SplittableRandom r, int amplitude) {
    int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    long state = r.nextLong() | 1;
    for (int i = 0; i < px.length; i++) {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      int n = (int) ((state >>> 40) % (2 * amplitude + 1)) - amplitude;
      int p = px[i];
      int red = clamp(((p >> 16) & 255) + n);
      int green = clamp(((p >> 8) & 255) + n);
      int blue = clamp((p & 255) + n);
      px[i] = (red << 16) | (green << 8) | blue;
    }
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(255, v);
  }
}

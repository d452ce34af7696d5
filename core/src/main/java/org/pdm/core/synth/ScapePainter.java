package org.pdm.core.synth;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RadialGradientPaint;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Landscapes: a sky gradient (day, dusk or overcast), a sun with a glow, clouds, two to four ranges
 * of hills fading with distance, and sometimes a lake that mirrors the sky.
 */
final class ScapePainter implements Painter {
  private static final Color[][] SKIES = {
      {new Color(40, 90, 170), new Color(150, 195, 235)},   // day
      {new Color(60, 40, 110), new Color(250, 150, 80)},    // dusk
      {new Color(110, 115, 125), new Color(200, 200, 205)}, // overcast
      {new Color(20, 60, 140), new Color(235, 210, 160)},   // morning haze
  };

  @Override
  public BufferedImage paint(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Painter.antialiased(img);
    Color[] sky = SKIES[r.nextInt(SKIES.length)];
    int horizon = (int) (h * (0.45 + 0.2 * r.nextDouble()));
    boolean lake = r.nextDouble() < 0.5;
    int lakeTop = lake ? (int) (horizon + (h - horizon) * (0.35 + 0.3 * r.nextDouble())) : h;

    g.setPaint(new GradientPaint(0, 0, sky[0], 0, horizon, sky[1]));
    g.fillRect(0, 0, w, lakeTop);
    sun(g, r, w, horizon);
    clouds(g, r, w, horizon);
    hills(g, r, w, h, horizon, lakeTop);
    if (lake) {
      mirror(img, g, lakeTop, h);
    }
    g.dispose();
    Painter.addGrain(img, r, 6);
    return img;
  }

  private static void sun(Graphics2D g, SplittableRandom r, int w, int horizon) {
    float cx = (float) (w * (0.1 + 0.8 * r.nextDouble()));
    float cy = (float) (horizon * (0.2 + 0.6 * r.nextDouble()));
    float radius = (float) (w * (0.02 + 0.03 * r.nextDouble()));
    g.setPaint(new RadialGradientPaint(cx, cy, radius * 6, new float[] {0f, 0.15f, 1f},
        new Color[] {new Color(255, 250, 225, 255), new Color(255, 235, 180, 140), new Color(255, 220, 160, 0)}));
    g.fillOval((int) (cx - radius * 6), (int) (cy - radius * 6), (int) (radius * 12), (int) (radius * 12));
  }

  private static void clouds(Graphics2D g, SplittableRandom r, int w, int horizon) {
    int n = 3 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      int cx = r.nextInt(w);
      int cy = (int) (horizon * 0.7 * r.nextDouble());
      int size = (int) (w * (0.03 + 0.07 * r.nextDouble()));
      for (int k = 0; k < 6; k++) {
        int a = 60 + r.nextInt(120);
        g.setColor(new Color(255, 255, 255, a));
        int ew = (int) (size * (1 + r.nextDouble()));
        int eh = (int) (size * (0.4 + 0.4 * r.nextDouble()));
        g.fillOval(cx + r.nextInt(2 * size + 1) - size, cy + r.nextInt(size / 2 + 1), ew, eh);
      }
    }
  }

  private static void hills(Graphics2D g, SplittableRandom r, int w, int h, int horizon, int bottom) {
    int ranges = 2 + r.nextInt(3);
    float hue = (float) (0.22 + 0.12 * r.nextDouble()); // greens to olive
    for (int k = 0; k < ranges; k++) {
      double depth = (double) k / Math.max(1, ranges - 1); // 0 = far, 1 = near
      int base = (int) (horizon + (bottom - horizon) * 0.25 * depth);
      double amp = h * (0.04 + 0.12 * r.nextDouble()) * (1 - 0.4 * depth);
      double f1 = (1 + 3 * r.nextDouble()) * 2 * Math.PI / w;
      double f2 = (4 + 9 * r.nextDouble()) * 2 * Math.PI / w;
      double p1 = r.nextDouble() * 6.3;
      double p2 = r.nextDouble() * 6.3;
      int steps = 256;
      Polygon poly = new Polygon();
      for (int i = 0; i <= steps; i++) {
        int x = (int) ((long) w * i / steps);
        double y = base - amp * (0.6 + 0.4 * Math.sin(f1 * x + p1)) - amp * 0.25 * Math.sin(f2 * x + p2);
        poly.addPoint(x, (int) y);
      }
      poly.addPoint(w, bottom);
      poly.addPoint(0, bottom);
      // Far ranges are paler and bluer (atmospheric perspective).
      float sat = (float) (0.25 + 0.45 * depth);
      float bri = (float) (0.75 - 0.4 * depth);
      Color c = Color.getHSBColor(hue - (float) (0.1 * (1 - depth)), sat, bri);
      g.setPaint(new GradientPaint(0, base - (float) amp, c, 0, bottom, c.darker()));
      g.fillPolygon(poly);
    }
  }

  /** The part above the lake, flipped, darkened and softened into the water. */
  private static void mirror(BufferedImage img, Graphics2D g, int lakeTop, int h) {
    int depth = h - lakeTop;
    int from = Math.max(0, lakeTop - depth);
    BufferedImage above = img.getSubimage(0, from, img.getWidth(), lakeTop - from);
    AffineTransform flip = new AffineTransform(1, 0, 0, -1, 0, lakeTop + (lakeTop - from));
    g.drawImage(above, flip, null);
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
    g.setColor(new Color(10, 30, 50));
    g.fillRect(0, lakeTop, img.getWidth(), depth);
    g.setComposite(AlphaComposite.SrcOver);
    g.setColor(new Color(255, 255, 255, 40));
    for (int y = lakeTop + 2; y < h; y += Math.max(3, depth / 40)) {
      g.drawLine(0, y, img.getWidth(), y);
    }
  }
}

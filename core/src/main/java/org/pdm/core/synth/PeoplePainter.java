package org.pdm.core.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Portraits: a wall or outdoor background with soft out-of-focus blobs, and one to three figures
 * (shoulders in clothing, neck, head with hair and eyes) in a range of skin tones.
 */
final class PeoplePainter implements Painter {
  private static final Color[] SKIN = {
      new Color(255, 224, 196), new Color(234, 192, 160), new Color(198, 146, 110),
      new Color(160, 110, 75), new Color(110, 72, 48), new Color(80, 52, 36)};
  private static final Color[] HAIR = {
      new Color(30, 22, 18), new Color(70, 45, 25), new Color(150, 110, 60), new Color(200, 170, 110),
      new Color(120, 120, 120)};

  @Override
  public BufferedImage paint(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Painter.antialiased(img);
    background(g, r, w, h);
    int figures = 1 + (r.nextDouble() < 0.3 ? 1 + r.nextInt(2) : 0);
    for (int i = 0; i < figures; i++) {
      double cx = figures == 1 ? 0.5 + 0.1 * (r.nextDouble() - 0.5) : (i + 0.5) / figures;
      double scale = figures == 1 ? 1.0 : 0.7;
      figure(g, r, (int) (w * cx), w, h, scale);
    }
    g.dispose();
    Painter.addGrain(img, r, 5);
    return img;
  }

  private static void background(Graphics2D g, SplittableRandom r, int w, int h) {
    Color top = Color.getHSBColor((float) r.nextDouble(), (float) (0.1 + 0.3 * r.nextDouble()),
        (float) (0.5 + 0.4 * r.nextDouble()));
    g.setPaint(new GradientPaint(0, 0, top, w * 0.3f, h, top.darker().darker()));
    g.fillRect(0, 0, w, h);
    int blobs = 5 + r.nextInt(10);
    for (int i = 0; i < blobs; i++) {
      int d = (int) (Math.min(w, h) * (0.05 + 0.2 * r.nextDouble()));
      g.setColor(Color.getHSBColor((float) r.nextDouble(), 0.3f, 0.9f));
      g.setComposite(java.awt.AlphaComposite.getInstance(java.awt.AlphaComposite.SRC_OVER, 0.12f));
      g.fill(new Ellipse2D.Double(r.nextInt(w), r.nextInt(h), d, d));
    }
    g.setComposite(java.awt.AlphaComposite.SrcOver);
  }

  private static void figure(Graphics2D g, SplittableRandom r, int cx, int w, int h, double scale) {
    double unit = Math.min(w, h) * scale;
    Color skin = SKIN[r.nextInt(SKIN.length)];
    Color hair = HAIR[r.nextInt(HAIR.length)];
    Color cloth = Color.getHSBColor((float) r.nextDouble(), (float) (0.3 + 0.6 * r.nextDouble()),
        (float) (0.3 + 0.6 * r.nextDouble()));
    double headW = unit * (0.22 + 0.05 * r.nextDouble());
    double headH = headW * 1.3;
    double headY = h * (0.22 + 0.1 * r.nextDouble());
    // Shoulders and torso down to the bottom edge.
    double shoulders = headW * (2.3 + 0.4 * r.nextDouble());
    double torsoTop = headY + headH * 1.05;
    g.setPaint(new GradientPaint((float) (cx - shoulders / 2), (float) torsoTop, cloth, (float) (cx + shoulders / 2),
        h, cloth.darker()));
    g.fill(new RoundRectangle2D.Double(cx - shoulders / 2, torsoTop, shoulders, h - torsoTop + headW,
        headW * 0.8, headW * 0.8));
    // Neck and head.
    g.setColor(skin.darker());
    g.fill(new RoundRectangle2D.Double(cx - headW * 0.22, headY + headH * 0.75, headW * 0.44, headH * 0.45,
        headW * 0.2, headW * 0.2));
    g.setPaint(new GradientPaint((float) (cx - headW / 2), (float) headY, skin, (float) (cx + headW / 2),
        (float) (headY + headH), skin.darker()));
    g.fill(new Ellipse2D.Double(cx - headW / 2, headY, headW, headH));
    // Hair: a cap over the top of the head.
    g.setColor(hair);
    g.fill(new Ellipse2D.Double(cx - headW * 0.55, headY - headH * 0.08, headW * 1.1, headH * 0.5));
    // Eyes and mouth.
    g.setColor(new Color(30, 25, 25));
    double eyeY = headY + headH * 0.48;
    double eye = headW * 0.09;
    g.fill(new Ellipse2D.Double(cx - headW * 0.22 - eye / 2, eyeY, eye, eye * 0.7));
    g.fill(new Ellipse2D.Double(cx + headW * 0.22 - eye / 2, eyeY, eye, eye * 0.7));
    g.setColor(skin.darker().darker());
    g.setStroke(new BasicStroke((float) Math.max(1, headW * 0.025)));
    g.drawArc((int) (cx - headW * 0.15), (int) (headY + headH * 0.68), (int) (headW * 0.3), (int) (headH * 0.1), 200, 140);
  }
}

package org.pdm.preprocess;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.pdm.preprocess.encode.PngEncoder;
import org.pdm.preprocess.image.RgbImage;

/**
 * A PNG grid of thumbnails with captions: the first outputs, then the first rejects with their
 * reasons, so that a user can see what the stage did. Captions need a font: on a JVM without any
 * the sheet is drawn without text.
 */
public final class ContactSheet {
  private static final int COLUMNS = 6;
  private static final int CAPTION = 30;
  private static final int HEADER = 28;
  private static final int PAD = 6;

  /** One tile: a thumbnail (null when the image could not be decoded) and two caption lines. */
  public record Tile(RgbImage thumb, String line1, String line2) {}

  private ContactSheet() {}

  public static byte[] render(String title, List<Tile> kept, List<Tile> rejects, int thumbSize) throws IOException {
    int cell = thumbSize + PAD;
    int keptRows = (kept.size() + COLUMNS - 1) / COLUMNS;
    int rejectRows = (rejects.size() + COLUMNS - 1) / COLUMNS;
    int width = PAD + COLUMNS * cell;
    int height = PAD + 2 * HEADER + (keptRows + rejectRows) * (cell + CAPTION) + PAD;
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    g.setColor(new Color(245, 245, 245));
    g.fillRect(0, 0, width, height);
    boolean text = true;
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.getFontMetrics();
    } catch (Throwable e) {
      text = false; // headless JVM without fonts
    }
    int y = PAD;
    y = section(g, text, title + (kept.isEmpty() ? ": kept: none" : ": kept, first " + kept.size() + " by id"), kept, y,
        thumbSize, new Color(30, 110, 30));
    section(g, text, rejects.isEmpty() ? "rejected: none" : "rejected, first " + rejects.size() + " by id, with reasons",
        rejects, y, thumbSize,
        new Color(170, 30, 30));
    g.dispose();
    int[] px = sheet.getRGB(0, 0, width, height, null, 0, width);
    for (int i = 0; i < px.length; i++) {
      px[i] &= 0xFFFFFF;
    }
    return PngEncoder.encode(new RgbImage(width, height, px), 6);
  }

  private static int section(Graphics2D g, boolean text, String header, List<Tile> tiles, int y, int size, Color accent) {
    if (text) {
      g.setColor(accent);
      drawText(g, header, PAD, y + HEADER - 10);
    }
    y += HEADER;
    int cell = size + PAD;
    for (int i = 0; i < tiles.size(); i++) {
      Tile t = tiles.get(i);
      int x = PAD + (i % COLUMNS) * cell;
      int ty = y + (i / COLUMNS) * (cell + CAPTION);
      g.setColor(new Color(220, 220, 220));
      g.fillRect(x, ty, size, size);
      if (t.thumb() != null) {
        BufferedImage img = t.thumb().toBufferedImage();
        g.drawImage(img, x + (size - img.getWidth()) / 2, ty + (size - img.getHeight()) / 2, null);
      }
      g.setColor(accent);
      g.drawRect(x - 1, ty - 1, size + 1, size + 1);
      if (text) {
        g.setColor(Color.DARK_GRAY);
        drawText(g, clip(g, t.line1(), size, true), x, ty + size + 12);
        g.setColor(accent);
        drawText(g, clip(g, t.line2(), size, false), x, ty + size + 25);
      }
    }
    return y + ((tiles.size() + COLUMNS - 1) / COLUMNS) * (cell + CAPTION);
  }

  private static void drawText(Graphics2D g, String s, int x, int y) {
    try {
      g.drawString(s, x, y);
    } catch (Throwable e) {
      // no usable font: the tile stays without its caption
    }
  }

  /** Shortens {@code s} to fit, keeping its end (an id's file name) or its start (a reason). */
  private static String clip(Graphics2D g, String s, int width, boolean keepEnd) {
    if (s == null) {
      return "";
    }
    try {
      var fm = g.getFontMetrics();
      if (fm.stringWidth(s) <= width) {
        return s;
      }
      String t = s;
      while (t.length() > 1 && fm.stringWidth("…" + t) > width) {
        t = keepEnd ? t.substring(1) : t.substring(0, t.length() - 1);
      }
      return keepEnd ? "…" + t : t + "…";
    } catch (Throwable e) {
      return s;
    }
  }
}

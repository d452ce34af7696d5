package org.pdm.cli.explore;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Pictures for notebooks: model outputs and dataset pixels to images, and captioned grids of them. */
public final class ImageGrid {
  private ImageGrid() {}

  private static final int CAPTION = 14;

  /** Images (B, 3, H, W) in [-1, 1] (the autoencoder's range; clamped) -> B pictures. */
  public static List<BufferedImage> fromChw(float[] images, int batch, int height, int width) {
    int plane = height * width;
    if (images.length != batch * 3 * plane) {
      throw new IllegalArgumentException(images.length + " values are not " + batch + " x 3 x " + height + " x " + width);
    }
    List<BufferedImage> out = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      int base = b * 3 * plane;
      for (int i = 0; i < plane; i++) {
        int r = toByte(images[base + i]);
        int g = toByte(images[base + plane + i]);
        int bl = toByte(images[base + 2 * plane + i]);
        img.setRGB(i % width, i / width, (r << 16) | (g << 8) | bl);
      }
      out.add(img);
    }
    return out;
  }

  /** x in [-1, 1] -> round((x + 1) * 127.5), the inverse of the dataset's normalization. */
  static int toByte(float x) {
    return (int) Math.round(Math.max(0, Math.min(255, (x + 1) * 127.5)));
  }

  /** Interleaved RGB bytes (H, W, 3) -> a picture. */
  public static BufferedImage fromRgb(byte[] hwc, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int i = 0, o = 0; i < width * height; i++, o += 3) {
      img.setRGB(i % width, i / width, ((hwc[o] & 0xff) << 16) | ((hwc[o + 1] & 0xff) << 8) | (hwc[o + 2] & 0xff));
    }
    return img;
  }

  /**
   * Tiles in rows of {@code columns}, each scaled by {@code scale} (nearest neighbour: pixels stay
   * visible) with its caption under it; tiles may differ in size (each cell takes the largest).
   */
  public static BufferedImage grid(List<BufferedImage> tiles, List<String> captions, int columns, int scale) {
    if (tiles.isEmpty() || columns < 1 || scale < 1) {
      throw new IllegalArgumentException("need at least one tile, columns >= 1 and scale >= 1");
    }
    int cw = 0;
    int ch = 0;
    for (BufferedImage t : tiles) {
      cw = Math.max(cw, t.getWidth() * scale);
      ch = Math.max(ch, t.getHeight() * scale);
    }
    cw = Math.max(cw, 48);
    int rows = (tiles.size() + columns - 1) / columns;
    int cols = Math.min(columns, tiles.size());
    int pad = 4;
    BufferedImage out = new BufferedImage(cols * (cw + pad) + pad, rows * (ch + CAPTION + pad) + pad,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    g.setColor(Color.DARK_GRAY);
    for (int i = 0; i < tiles.size(); i++) {
      BufferedImage t = tiles.get(i);
      int x = pad + (i % columns) * (cw + pad);
      int y = pad + (i / columns) * (ch + CAPTION + pad);
      g.drawImage(t, x, y, t.getWidth() * scale, t.getHeight() * scale, null);
      if (captions != null && i < captions.size()) {
        String text = captions.get(i);
        while (text.length() > 1 && g.getFontMetrics().stringWidth(text) > cw) {
          text = text.substring(0, text.length() - 1);
        }
        g.drawString(text, x, y + ch + CAPTION - 3);
      }
    }
    g.dispose();
    return out;
  }
}

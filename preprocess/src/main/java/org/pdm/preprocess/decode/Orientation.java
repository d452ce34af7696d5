package org.pdm.preprocess.decode;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.ByteArrayInputStream;
import org.pdm.preprocess.image.RgbImage;

/**
 * EXIF orientation (tag 0x0112): how the stored pixels must be turned to be seen upright.
 * 1 as stored, 2 mirrored left-right, 3 turned 180°, 4 mirrored top-bottom, 5 transposed,
 * 6 turned 90° clockwise, 7 transversed, 8 turned 90° counter-clockwise. 5 to 8 swap width and height.
 */
public final class Orientation {
  private Orientation() {}

  /** The file's orientation, 1 when it has none, or an unreadable or out-of-range one. */
  public static int read(byte[] bytes, ImageFormat format) {
    if (format == ImageFormat.BMP || format == ImageFormat.GIF) {
      return 1;
    }
    try {
      Metadata m = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
      for (ExifIFD0Directory d : m.getDirectoriesOfType(ExifIFD0Directory.class)) {
        Integer o = d.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
        if (o != null && o >= 1 && o <= 8) {
          return o;
        }
      }
    } catch (Exception | StackOverflowError e) {
      // Broken metadata does not make a broken picture: taken as upright.
    }
    return 1;
  }

  public static boolean swapsSides(int orientation) {
    return orientation >= 5;
  }

  /**
   * The rectangle in stored pixels that holds the seen rectangle {@code (x, y, w, h)}.
   *
   * @param sw stored width
   * @param sh stored height
   * @return {x, y, w, h} in stored pixels
   */
  public static int[] toStored(int orientation, int sw, int sh, int x, int y, int w, int h) {
    int[] a = storedOf(orientation, sw, sh, x, y);
    int[] b = storedOf(orientation, sw, sh, x + w - 1, y + h - 1);
    int x0 = Math.min(a[0], b[0]);
    int y0 = Math.min(a[1], b[1]);
    return new int[] {x0, y0, Math.abs(a[0] - b[0]) + 1, Math.abs(a[1] - b[1]) + 1};
  }

  /**
   * The rectangle {@code r = {x, y, w, h}} (fractional, continuous coordinates) of a stored picture of
   * {@code sw x sh} as seen once the picture is turned upright: edges, not pixel centres, are mapped.
   */
  public static double[] toUpright(int orientation, int sw, int sh, double[] r) {
    double[] a = uprightOf(orientation, sw, sh, r[0], r[1]);
    double[] b = uprightOf(orientation, sw, sh, r[0] + r[2], r[1] + r[3]);
    return new double[] {Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])};
  }

  /** The continuous upright point of the stored point (sx, sy): the inverse of {@link #storedOf}, on edges. */
  static double[] uprightOf(int o, int sw, int sh, double sx, double sy) {
    return switch (o) {
      case 2 -> new double[] {sw - sx, sy};
      case 3 -> new double[] {sw - sx, sh - sy};
      case 4 -> new double[] {sx, sh - sy};
      case 5 -> new double[] {sy, sx};
      case 6 -> new double[] {sh - sy, sx};
      case 7 -> new double[] {sh - sy, sw - sx};
      case 8 -> new double[] {sy, sw - sx};
      default -> new double[] {sx, sy};
    };
  }

  /** Stored pixel of the seen pixel (dx, dy), for an image stored as {@code sw x sh}. */
  static int[] storedOf(int o, int sw, int sh, int dx, int dy) {
    return switch (o) {
      case 2 -> new int[] {sw - 1 - dx, dy};
      case 3 -> new int[] {sw - 1 - dx, sh - 1 - dy};
      case 4 -> new int[] {dx, sh - 1 - dy};
      case 5 -> new int[] {dy, dx};
      case 6 -> new int[] {dy, sh - 1 - dx};
      case 7 -> new int[] {sw - 1 - dy, sh - 1 - dx};
      case 8 -> new int[] {sw - 1 - dy, dx};
      default -> new int[] {dx, dy};
    };
  }

  /** The stored image turned upright. */
  public static RgbImage apply(RgbImage stored, int o) {
    if (o <= 1 || o > 8) {
      return stored;
    }
    int sw = stored.width();
    int sh = stored.height();
    int dw = swapsSides(o) ? sh : sw;
    int dh = swapsSides(o) ? sw : sh;
    int[] in = stored.pixels();
    int[] out = new int[dw * dh];
    // Stored index of seen (dx, dy) = base + dx * stepX + dy * stepY (the same maps as storedOf).
    int[] origin = storedOf(o, sw, sh, 0, 0);
    int[] right = storedOf(o, sw, sh, 1, 0);
    int[] down = storedOf(o, sw, sh, 0, 1);
    int base = origin[1] * sw + origin[0];
    int stepX = (right[1] * sw + right[0]) - base;
    int stepY = (down[1] * sw + down[0]) - base;
    for (int dy = 0; dy < dh; dy++) {
      int s = base + dy * stepY;
      int row = dy * dw;
      for (int dx = 0; dx < dw; dx++, s += stepX) {
        out[row + dx] = in[s];
      }
    }
    return new RgbImage(dw, dh, out);
  }
}

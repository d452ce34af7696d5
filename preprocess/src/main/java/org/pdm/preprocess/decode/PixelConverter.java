package org.pdm.preprocess.decode;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import org.pdm.preprocess.image.RgbImage;

/**
 * Whatever an ImageIO reader returned, as 8-bit RGB: samples taken as they are stored (no colour
 * conversion: that is {@link IccProfiles}' job), 16-bit samples rounded to 8 bits
 * ({@code round(v / 257)}), grey spread to three channels, palettes looked up, and alpha composited
 * on white ({@code c * a + 255 * (1 - a)}, rounded).
 */
public final class PixelConverter {
  private PixelConverter() {}

  /**
   * {@link #toRgb} followed by an exact {@code k x k} block average ({@code Resampler.reduce}), fused
   * for the common case (8-bit RGB or grey without alpha: every JPEG) so that the full-size picture
   * is never copied; any other layout converts first, then reduces.
   */
  public static RgbImage toRgbReduced(BufferedImage img, int k) {
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    if (k > 1 && !cm.hasAlpha() && cm instanceof ComponentColorModel
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
        && raster.getDataBuffer() instanceof DataBufferByte db
        && (sm.getNumBands() == 3 || sm.getNumBands() == 1)
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      return reduced8(db.getData(), img.getWidth(), img.getHeight(), sm, k);
    }
    return org.pdm.preprocess.geometry.Resampler.reduce(toRgb(img), k);
  }

  private static RgbImage reduced8(byte[] d, int w, int h, PixelInterleavedSampleModel sm, int k) {
    int ps = sm.getPixelStride();
    int ss = sm.getScanlineStride();
    int[] off = sm.getBandOffsets();
    int o0 = off[0];
    int o1 = off.length == 3 ? off[1] : off[0];
    int o2 = off.length == 3 ? off[2] : off[0];
    int ow = (w + k - 1) / k;
    int oh = (h + k - 1) / k;
    int[] out = new int[ow * oh];
    int[] r = new int[ow];
    int[] g = new int[ow];
    int[] b = new int[ow];
    for (int oy = 0; oy < oh; oy++) {
      java.util.Arrays.fill(r, 0);
      java.util.Arrays.fill(g, 0);
      java.util.Arrays.fill(b, 0);
      int y0 = oy * k;
      int y1 = Math.min(h, y0 + k);
      for (int y = y0; y < y1; y++) {
        int i = y * ss;
        for (int ox = 0, x = 0; ox < ow; ox++) {
          int end = Math.min(w, x + k);
          int sr = 0;
          int sg = 0;
          int sb = 0;
          for (; x < end; x++, i += ps) {
            sr += d[i + o0] & 255;
            sg += d[i + o1] & 255;
            sb += d[i + o2] & 255;
          }
          r[ox] += sr;
          g[ox] += sg;
          b[ox] += sb;
        }
      }
      org.pdm.preprocess.geometry.Resampler.writeBlockAverages(r, g, b, y1 - y0, w, k, out, oy * ow);
    }
    return new RgbImage(ow, oh, out);
  }

  public static RgbImage toRgb(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    int w = img.getWidth();
    int h = img.getHeight();
    int type = cm.getColorSpace().getType();
    boolean plain = type == ColorSpace.TYPE_RGB || type == ColorSpace.TYPE_GRAY;
    if (plain && cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      int bands = sm.getNumBands();
      boolean alpha = cm.hasAlpha();
      int colours = bands - (alpha ? 1 : 0);
      if (colours == 1 || colours == 3) {
        DataBuffer db = raster.getDataBuffer();
        if (db instanceof DataBufferByte b) {
          return interleaved8(b.getData(), w, h, sm, colours, alpha);
        }
        if (db instanceof DataBufferUShort s) {
          return interleaved16(s.getData(), w, h, sm, colours, alpha);
        }
      }
    }
    if (cm instanceof IndexColorModel icm) {
      return indexed(raster, icm, w, h);
    }
    if ((img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB)
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm && sm.getScanlineStride() == w
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      int[] d = ((DataBufferInt) raster.getDataBuffer()).getData();
      int[] out = new int[w * h];
      boolean alpha = img.getType() == BufferedImage.TYPE_INT_ARGB;
      for (int i = 0; i < out.length; i++) {
        int p = d[i];
        int a = alpha ? p >>> 24 : 255;
        out[i] = composite((p >> 16) & 255, a) << 16 | composite((p >> 8) & 255, a) << 8 | composite(p & 255, a);
      }
      return new RgbImage(w, h, out);
    }
    // Anything else (other sample layouts, premultiplied alpha): the JDK's own getRGB, composited.
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      int a = p >>> 24;
      argb[i] = composite((p >> 16) & 255, a) << 16 | composite((p >> 8) & 255, a) << 8 | composite(p & 255, a);
    }
    return new RgbImage(w, h, argb);
  }

  /** {@code c} over white with alpha {@code a}, 8 bits each, rounded. */
  static int composite(int c, int a) {
    if (a == 255) {
      return c;
    }
    return (c * a + 255 * (255 - a) + 127) / 255;
  }

  private static RgbImage interleaved8(byte[] d, int w, int h, PixelInterleavedSampleModel sm, int colours,
      boolean alpha) {
    int ps = sm.getPixelStride();
    int ss = sm.getScanlineStride();
    int[] off = sm.getBandOffsets();
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      int row = y * ss;
      for (int x = 0; x < w; x++) {
        int i = row + x * ps;
        int r = d[i + off[0]] & 255;
        int g = colours == 3 ? d[i + off[1]] & 255 : r;
        int b = colours == 3 ? d[i + off[2]] & 255 : r;
        if (alpha) {
          int a = d[i + off[colours]] & 255;
          r = composite(r, a);
          g = composite(g, a);
          b = composite(b, a);
        }
        out[y * w + x] = r << 16 | g << 8 | b;
      }
    }
    return new RgbImage(w, h, out);
  }

  private static RgbImage interleaved16(short[] d, int w, int h, PixelInterleavedSampleModel sm, int colours,
      boolean alpha) {
    int ps = sm.getPixelStride();
    int ss = sm.getScanlineStride();
    int[] off = sm.getBandOffsets();
    int[] out = new int[w * h];
    int[] c = new int[3];
    for (int y = 0; y < h; y++) {
      int row = y * ss;
      for (int x = 0; x < w; x++) {
        int i = row + x * ps;
        double a = alpha ? (d[i + off[colours]] & 0xFFFF) / 65535.0 : 1.0;
        for (int k = 0; k < 3; k++) {
          int v = d[i + off[colours == 3 ? k : 0]] & 0xFFFF;
          // Composite in 16 bits, then round to 8: the 16-bit precision is kept until the end.
          double v16 = alpha ? v * a + 65535.0 * (1 - a) : v;
          c[k] = (int) Math.round(v16 / 257.0);
        }
        out[y * w + x] = c[0] << 16 | c[1] << 8 | c[2];
      }
    }
    return new RgbImage(w, h, out);
  }

  private static RgbImage indexed(Raster raster, IndexColorModel icm, int w, int h) {
    int n = icm.getMapSize();
    int[] palette = new int[n];
    for (int i = 0; i < n; i++) {
      int a = icm.getAlpha(i);
      palette[i] = composite(icm.getRed(i), a) << 16 | composite(icm.getGreen(i), a) << 8 | composite(icm.getBlue(i), a);
    }
    int[] out = new int[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = palette[Math.min(row[x], n - 1)];
      }
    }
    return new RgbImage(w, h, out);
  }
}

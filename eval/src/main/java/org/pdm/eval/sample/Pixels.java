package org.pdm.eval.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.pdm.core.synth.ImageEncoder;

/**
 * Decoder output to pictures: channel-first floats in [-1, 1] (the autoencoder's range) to 8-bit RGB
 * as {@code round((x + 1) * 127.5)} clamped to [0, 255] (torchvision's {@code save_image} rounding),
 * and from there to a {@link BufferedImage} or PNG bytes.
 */
public final class Pixels {
  private Pixels() {}

  /** Image {@code i} of a (B, 3, H, W) row-major batch as uint8 HWC RGB. */
  public static byte[] rgb(float[] batch, int i, int height, int width) {
    int plane = height * width;
    int base = i * 3 * plane;
    byte[] out = new byte[3 * plane];
    for (int p = 0, o = 0; p < plane; p++, o += 3) {
      for (int c = 0; c < 3; c++) {
        out[o + c] = (byte) toByte(batch[base + c * plane + p]);
      }
    }
    return out;
  }

  static int toByte(float x) {
    long v = Math.round((x + 1.0) * 127.5);
    return (int) Math.max(0, Math.min(255, v));
  }

  /** uint8 HWC RGB to an RGB image. */
  public static BufferedImage image(byte[] rgb, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] argb = new int[width * height];
    for (int p = 0, o = 0; p < argb.length; p++, o += 3) {
      argb[p] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
    }
    img.setRGB(0, 0, width, height, argb, 0, width);
    return img;
  }

  /** uint8 HWC RGB to PNG bytes (the JDK's writer: the same pixels give the same bytes). */
  public static byte[] png(byte[] rgb, int width, int height) throws IOException {
    return ImageEncoder.encode(image(rgb, width, height), "png", 1f);
  }
}

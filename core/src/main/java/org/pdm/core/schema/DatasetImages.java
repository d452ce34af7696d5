package org.pdm.core.schema;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Decodes a dataset row's picture ({@link DatasetSchema#DATASET}: {@code image}, {@code format},
 * {@code width}, {@code height}) into 8-bit RGB pixels, whatever format preprocess wrote (png, jpeg, or
 * raw: the pixels themselves, uint8 HWC RGB, see {@link DatasetSchema#RAW}), so that
 * every reader of the dataset (encode, training, eval) decodes it one way. Knows nothing of Spark.
 */
public final class DatasetImages {
  private DatasetImages() {}

  /** {@code v / 127.5 - 1} for every byte value (the same floats as computing it per pixel). */
  private static final float[] UNIT = new float[256];

  static {
    for (int v = 0; v < 256; v++) {
      UNIT[v] = v / 127.5f - 1f;
    }
  }

  /** Why a row's picture cannot be used; the reader turns it into a counted reject. */
  public static final class BadImageException extends IOException {
    public BadImageException(String message) {
      super(message);
    }
  }

  /**
   * The row's pixels as interleaved RGB bytes, row-major (HWC, length {@code height * width * 3}).
   *
   * @throws BadImageException when the bytes do not decode to a {@code width x height} picture
   */
  public static byte[] rgb(byte[] image, String format, int width, int height) throws BadImageException {
    if (DatasetSchema.RAW.equals(format)) {
      return raw(image, width, height).clone();
    }
    return decoded(image, format, width, height);
  }

  /** The row's own bytes when they are raw HWC pixels of the row's shape (no copy: do not modify). */
  private static byte[] raw(byte[] image, int width, int height) throws BadImageException {
    if (image == null || image.length == 0) {
      throw new BadImageException("empty image bytes");
    }
    if (width <= 0 || height <= 0 || image.length != (long) width * height * 3) {
      throw new BadImageException("raw pixels: " + image.length + " bytes, the row says " + width + "x" + height
          + " (" + (long) width * height * 3 + " bytes of uint8 HWC RGB)");
    }
    return image;
  }

  private static byte[] decoded(byte[] image, String format, int width, int height) throws BadImageException {
    if (image == null || image.length == 0) {
      throw new BadImageException("empty image bytes");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(image));
    } catch (IOException | RuntimeException e) {
      throw new BadImageException("cannot decode " + format + ": " + e.getMessage());
    }
    if (img == null) {
      throw new BadImageException("no reader for the bytes of format " + format);
    }
    if (img.getWidth() != width || img.getHeight() != height) {
      throw new BadImageException("decoded " + img.getWidth() + "x" + img.getHeight() + ", the row says "
          + width + "x" + height);
    }
    int[] argb = img.getRGB(0, 0, width, height, null, 0, width);
    byte[] out = new byte[argb.length * 3];
    for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
      int p = argb[i];
      out[o] = (byte) (p >> 16);
      out[o + 1] = (byte) (p >> 8);
      out[o + 2] = (byte) p;
    }
    return out;
  }

  /**
   * The row's pixels as floats in [-1, 1], channel-first (CHW, length {@code 3 * height * width}):
   * the autoencoder's input normalization, {@code x = v / 127.5 - 1}.
   */
  public static float[] chwUnit(byte[] image, String format, int width, int height) throws BadImageException {
    byte[] hwc = DatasetSchema.RAW.equals(format) ? raw(image, width, height) : decoded(image, format, width, height);
    int plane = width * height;
    float[] out = new float[3 * plane];
    float[] lut = UNIT;
    for (int i = 0, o = 0; i < plane; i++, o += 3) {
      out[i] = lut[hwc[o] & 0xff];
      out[plane + i] = lut[hwc[o + 1] & 0xff];
      out[2 * plane + i] = lut[hwc[o + 2] & 0xff];
    }
    return out;
  }
}

package org.pdm.eval.fid;

/**
 * clean-fid's {@code clean} resize: each channel as a float32 image resized by Pillow's bicubic filter
 * ({@code Image.fromarray(x, mode='F').resize(size, Image.BICUBIC)}), then clipped to [0, 255]. A port
 * of Pillow's {@code Resample.c} for 32-bit float images: a separable filter whose support widens with
 * the downscale factor (antialiasing), weights in double normalized per output pixel, the horizontal
 * pass first into a float32 image, then the vertical pass. Matched against Pillow's own output by a
 * test with values from {@code eval/src/test/python/make_fid_fixtures.py}.
 */
public final class CleanResize {
  private static final double A = -0.5; // Pillow's bicubic
  private static final double SUPPORT = 2.0;

  private CleanResize() {}

  /** Pillow's bicubic kernel. */
  static double bicubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0.0;
  }

  /** Per output pixel: the first input index, how many inputs, and their normalized weights. */
  private record Coeffs(int[] start, int[] count, double[][] weights) {}

  private static Coeffs coeffs(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int[] start = new int[outSize];
    int[] count = new int[outSize];
    double[][] weights = new double[outSize][];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ss = 1.0 / filterScale;
      int xmin = Math.max(0, (int) (center - support + 0.5)); // C's (int) truncates toward zero, as Java's
      int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
      double[] k = new double[Math.max(xmax, 0)];
      double ww = 0;
      for (int x = 0; x < xmax; x++) {
        k[x] = bicubic((x + xmin - center + 0.5) * ss);
        ww += k[x];
      }
      if (ww != 0.0) {
        for (int x = 0; x < xmax; x++) {
          k[x] /= ww;
        }
      }
      start[xx] = xmin;
      count[xx] = Math.max(xmax, 0);
      weights[xx] = k;
    }
    return new Coeffs(start, count, weights);
  }

  /**
   * One channel ({@code height x width}, row-major) resized to {@code outHeight x outWidth} as Pillow
   * does it, without the clipping.
   */
  public static float[] resize(float[] in, int width, int height, int outWidth, int outHeight) {
    float[] img = in;
    int w = width;
    if (outWidth != width) {
      Coeffs c = coeffs(width, outWidth);
      float[] tmp = new float[outWidth * height];
      for (int y = 0; y < height; y++) {
        int row = y * width;
        for (int xx = 0; xx < outWidth; xx++) {
          double ss = 0.0;
          double[] k = c.weights()[xx];
          int x0 = row + c.start()[xx];
          for (int x = 0; x < c.count()[xx]; x++) {
            ss += img[x0 + x] * k[x];
          }
          tmp[y * outWidth + xx] = (float) ss;
        }
      }
      img = tmp;
      w = outWidth;
    }
    if (outHeight != height) {
      Coeffs c = coeffs(height, outHeight);
      float[] out = new float[w * outHeight];
      for (int yy = 0; yy < outHeight; yy++) {
        double[] k = c.weights()[yy];
        int y0 = c.start()[yy];
        for (int xx = 0; xx < w; xx++) {
          double ss = 0.0;
          for (int y = 0; y < c.count()[yy]; y++) {
            ss += img[(y + y0) * w + xx] * k[y];
          }
          out[yy * w + xx] = (float) ss;
        }
      }
      img = out;
    }
    return img == in ? in.clone() : img;
  }

  /**
   * An 8-bit RGB picture (HWC, as {@code DatasetImages.rgb} gives it) to the network's clean input: CHW
   * float32 in [0, 255] of {@code size x size}, each channel resized by {@link #resize} and clipped.
   */
  public static float[] rgbToChw(byte[] hwc, int width, int height, int size) {
    int plane = width * height;
    float[] out = new float[3 * size * size];
    float[] channel = new float[plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        channel[i] = hwc[3 * i + c] & 0xff;
      }
      float[] r = resize(channel, width, height, size, size);
      for (int i = 0; i < r.length; i++) {
        out[c * size * size + i] = Math.min(255f, Math.max(0f, r[i]));
      }
    }
    return out;
  }
}

package org.pdm.preprocess.quality;

import org.pdm.preprocess.geometry.Resampler;
import org.pdm.preprocess.image.RgbImage;

/**
 * The numbers the quality filters decide on, all measured on a reduced copy of the output (long side
 * {@code size} pixels, area-averaged), so that they do not depend on the output resolution.
 *
 * @param sharpness variance of the 4-neighbour Laplacian of the luma (higher is sharper)
 * @param phash 64-bit DCT perceptual hash (see {@link PerceptualHash})
 * @param lumaStd standard deviation of the luma, 0..127.5 (near 0: a near-constant picture)
 * @param chroma mean of max(r, g, b) - min(r, g, b) over pixels (near 0: greyscale)
 * @param borderFraction the largest share of the width or height taken by a uniform band at one edge
 * @param borderSide which edge that band is on: top, bottom, left, right or "" when there is none
 */
public record Measures(double sharpness, long phash, double lumaStd, double chroma, double borderFraction,
    String borderSide) {

  /**
   * @param size long side of the reduced copy
   * @param borderTolerance the largest difference (any channel) from the edge's colour that still
   *     counts as the same border band
   */
  public static Measures of(RgbImage img, int size, int borderTolerance) {
    RgbImage small = shrink(img, size);
    float[] luma = small.grey();
    double mean = 0;
    for (float v : luma) {
      mean += v;
    }
    mean /= luma.length;
    double var = 0;
    for (float v : luma) {
      var += (v - mean) * (v - mean);
    }
    double chroma = 0;
    for (int p : small.pixels()) {
      int r = (p >> 16) & 255;
      int g = (p >> 8) & 255;
      int b = p & 255;
      chroma += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
    }
    Borders.Band band = Borders.widest(small, borderTolerance);
    return new Measures(laplacianVariance(luma, small.width(), small.height()), PerceptualHash.of(small),
        Math.sqrt(var / luma.length), chroma / luma.length, band.fraction(), band.side());
  }

  /** The image reduced (area filter) so that its long side is at most {@code size}. */
  public static RgbImage shrink(RgbImage img, int size) {
    int w = img.width();
    int h = img.height();
    if (Math.max(w, h) <= size) {
      return img;
    }
    double s = (double) size / Math.max(w, h);
    return Resampler.resize(img, Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s)),
        Resampler.Filter.AREA);
  }

  /** Variance of {@code 4 c - n - s - e - w} over the interior pixels (OpenCV's Laplacian, ksize 1). */
  static double laplacianVariance(float[] g, int w, int h) {
    if (w < 3 || h < 3) {
      return 0;
    }
    double sum = 0;
    double sum2 = 0;
    long n = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        int i = y * w + x;
        double l = g[i - 1] + g[i + 1] + g[i - w] + g[i + w] - 4 * g[i];
        sum += l;
        sum2 += l * l;
        n++;
      }
    }
    double m = sum / n;
    return sum2 / n - m * m;
  }
}

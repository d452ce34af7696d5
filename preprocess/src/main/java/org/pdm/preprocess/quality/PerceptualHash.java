package org.pdm.preprocess.quality;

import org.pdm.preprocess.geometry.Resampler;
import org.pdm.preprocess.image.RgbImage;

/**
 * The DCT perceptual hash (pHash, as in the {@code imagehash} package): luma reduced to 32x32 with
 * the area filter, a 2-D DCT-II, the 8x8 lowest frequencies, each bit set when the coefficient is
 * above their median. Bit 63 is coefficient (0,0), then row by row. Near-duplicates (resized,
 * recompressed, slightly recoloured copies) differ in a few bits; unrelated pictures in about 32.
 */
public final class PerceptualHash {
  private static final int N = 32;
  private static final double[][] COS = new double[8][N];

  static {
    for (int u = 0; u < 8; u++) {
      for (int x = 0; x < N; x++) {
        COS[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * N));
      }
    }
  }

  private PerceptualHash() {}

  public static long of(RgbImage img) {
    float[] g = Resampler.resize(img, N, N, Resampler.Filter.AREA).grey();
    // Only the 8 lowest frequencies are needed in each direction: rows first, then columns.
    double[][] rows = new double[N][8];
    for (int y = 0; y < N; y++) {
      for (int u = 0; u < 8; u++) {
        double s = 0;
        for (int x = 0; x < N; x++) {
          s += g[y * N + x] * COS[u][x];
        }
        rows[y][u] = s;
      }
    }
    double[] coef = new double[64];
    for (int v = 0; v < 8; v++) {
      for (int u = 0; u < 8; u++) {
        double s = 0;
        for (int y = 0; y < N; y++) {
          s += rows[y][u] * COS[v][y];
        }
        coef[v * 8 + u] = s;
      }
    }
    double[] sorted = coef.clone();
    java.util.Arrays.sort(sorted);
    double median = (sorted[31] + sorted[32]) / 2;
    long hash = 0;
    for (int i = 0; i < 64; i++) {
      if (coef[i] > median) {
        hash |= 1L << (63 - i);
      }
    }
    return hash;
  }

  public static int distance(long a, long b) {
    return Long.bitCount(a ^ b);
  }
}

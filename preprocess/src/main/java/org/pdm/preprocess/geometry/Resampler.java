package org.pdm.preprocess.geometry;

import org.pdm.preprocess.image.RgbImage;

/**
 * Separable convolution resampling with an antialiasing filter, as Pillow's {@code resize} does it:
 * when shrinking, the filter's support is widened by the scale factor so that every source pixel
 * contributes (no aliasing); weights are precomputed once per output column and row and applied in
 * fixed point. Two passes (horizontal, then vertical) with an 8-bit intermediate, like Pillow.
 *
 * <p>{@link Filter#AREA} is the box filter: exact area averaging when shrinking (Pillow's BOX,
 * OpenCV's INTER_AREA). {@link Filter#LANCZOS} is Lanczos-3 (Pillow's LANCZOS).
 *
 * <p>{@link #reduce(RgbImage, int)} averages exact {@code k x k} blocks: the cheap first step of a
 * large shrink (what a JPEG decoder's DCT scaling or Pillow's {@code reducing_gap} does).
 */
public final class Resampler {
  /** Fixed-point precision of the weights: 255 * 2^20 * (sum of |w| <= 1.3) stays inside an int. */
  private static final int PRECISION_BITS = 20;

  public enum Filter {
    AREA(0.5) {
      @Override
      double weight(double x) {
        return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
      }
    },
    LANCZOS(3.0) {
      @Override
      double weight(double x) {
        if (x == 0) {
          return 1.0;
        }
        if (x <= -3.0 || x >= 3.0) {
          return 0.0;
        }
        double px = Math.PI * x;
        return 3.0 * Math.sin(px) * Math.sin(px / 3.0) / (px * px);
      }
    };

    final double support;

    Filter(double support) {
      this.support = support;
    }

    abstract double weight(double x);
  }

  private Resampler() {}

  /** Resizes the whole image to {@code outW x outH}. */
  public static RgbImage resize(RgbImage src, int outW, int outH, Filter filter) {
    return resize(src, outW, outH, filter, src.width(), src.height());
  }

  /**
   * Resizes the region {@code [0, extentW) x [0, extentH)} of the source (fractional sizes allowed,
   * at most the image's) to {@code outW x outH}: after a {@link #reduce} by k of a w-pixel-wide
   * image, the extent {@code w / k} maps exactly what the original crop covered.
   */
  public static RgbImage resize(RgbImage src, int outW, int outH, Filter filter, double extentW, double extentH) {
    return resize(src, outW, outH, filter, 0, 0, extentW, extentH);
  }

  /**
   * Resizes the region {@code [x0, x0 + extentW) x [y0, y0 + extentH)} of the source (fractional, as
   * Pillow's {@code resize(box=...)}) to {@code outW x outH}: a JPEG decoded at 1/d covers a crop box
   * whose edges fall inside its pixels.
   */
  public static RgbImage resize(RgbImage src, int outW, int outH, Filter filter, double x0, double y0, double extentW,
      double extentH) {
    boolean wholeX = x0 == 0 && extentW == src.width();
    boolean wholeY = y0 == 0 && extentH == src.height();
    if (outW == src.width() && outH == src.height() && wholeX && wholeY) {
      return src;
    }
    Coefficients horizontal = Coefficients.of(src.width(), x0, extentW, outW, filter);
    Coefficients vertical = Coefficients.of(src.height(), y0, extentH, outH, filter);
    RgbImage tmp = outW == src.width() && wholeX ? src : horizontalPass(src, outW, horizontal);
    return outH == src.height() && wholeY ? tmp : verticalPass(tmp, outH, vertical);
  }

  /** Averages {@code k x k} blocks (k >= 1); a partial block at the right or bottom edge is averaged over what exists. */
  public static RgbImage reduce(RgbImage src, int k) {
    if (k <= 1) {
      return src;
    }
    int w = src.width();
    int h = src.height();
    int ow = (w + k - 1) / k;
    int oh = (h + k - 1) / k;
    int[] in = src.pixels();
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
        addBlockSums(in, y * w, w, k, r, g, b);
      }
      writeBlockAverages(r, g, b, y1 - y0, w, k, out, oy * ow);
    }
    return new RgbImage(ow, oh, out);
  }

  /**
   * Adds one row of packed RGB pixels ({@code w} from {@code px[offset]}) to the channel sums of its
   * {@code k}-wide column blocks, the last one narrower at the right edge; no division per pixel.
   * Shared with the decoder's fused reduction.
   */
  public static void addBlockSums(int[] px, int offset, int w, int k, int[] r, int[] g, int[] b) {
    for (int ox = 0, x = 0; ox < r.length; ox++) {
      int end = Math.min(w, x + k);
      int sr = 0;
      int sg = 0;
      int sb = 0;
      for (; x < end; x++) {
        int p = px[offset + x];
        sr += (p >> 16) & 255;
        sg += (p >> 8) & 255;
        sb += p & 255;
      }
      r[ox] += sr;
      g[ox] += sg;
      b[ox] += sb;
    }
  }

  /**
   * One output row of a {@code k x k} block average from its channel sums: each sum divided by the
   * pixels its block covered ({@code rows} high, narrower at the right edge), rounded half up. Shared
   * with the decoder's fused reduction so that both round alike.
   */
  public static void writeBlockAverages(int[] r, int[] g, int[] b, int rows, int w, int k, int[] out, int offset) {
    for (int ox = 0; ox < r.length; ox++) {
      int n = rows * (Math.min(w, ox * k + k) - ox * k);
      int half = n / 2;
      out[offset + ox] = ((r[ox] + half) / n) << 16 | ((g[ox] + half) / n) << 8 | ((b[ox] + half) / n);
    }
  }

  private static RgbImage horizontalPass(RgbImage src, int outW, Coefficients c) {
    int w = src.width();
    int h = src.height();
    int[] in = src.pixels();
    int[] out = new int[outW * h];
    int[] bounds = c.bounds;
    int[] weights = c.weights;
    int taps = c.taps;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      int orow = y * outW;
      for (int x = 0; x < outW; x++) {
        int first = bounds[2 * x];
        int n = bounds[2 * x + 1];
        int wi = x * taps;
        int r = 1 << (PRECISION_BITS - 1);
        int g = r;
        int b = r;
        for (int k = 0; k < n; k++) {
          int p = in[row + first + k];
          int wk = weights[wi + k];
          r += ((p >> 16) & 255) * wk;
          g += ((p >> 8) & 255) * wk;
          b += (p & 255) * wk;
        }
        out[orow + x] = clip(r) << 16 | clip(g) << 8 | clip(b);
      }
    }
    return new RgbImage(outW, h, out);
  }

  private static RgbImage verticalPass(RgbImage src, int outH, Coefficients c) {
    int w = src.width();
    int[] in = src.pixels();
    int[] out = new int[w * outH];
    int[] bounds = c.bounds;
    int[] weights = c.weights;
    int taps = c.taps;
    int[] r = new int[w];
    int[] g = new int[w];
    int[] b = new int[w];
    for (int y = 0; y < outH; y++) {
      int first = bounds[2 * y];
      int n = bounds[2 * y + 1];
      int wi = y * taps;
      java.util.Arrays.fill(r, 1 << (PRECISION_BITS - 1));
      java.util.Arrays.fill(g, 1 << (PRECISION_BITS - 1));
      java.util.Arrays.fill(b, 1 << (PRECISION_BITS - 1));
      // Row by row over the source rows, so that memory is read in order.
      for (int k = 0; k < n; k++) {
        int wk = weights[wi + k];
        int row = (first + k) * w;
        for (int x = 0; x < w; x++) {
          int p = in[row + x];
          r[x] += ((p >> 16) & 255) * wk;
          g[x] += ((p >> 8) & 255) * wk;
          b[x] += (p & 255) * wk;
        }
      }
      int orow = y * w;
      for (int x = 0; x < w; x++) {
        out[orow + x] = clip(r[x]) << 16 | clip(g[x]) << 8 | clip(b[x]);
      }
    }
    return new RgbImage(w, outH, out);
  }

  private static int clip(int v) {
    int s = v >> PRECISION_BITS;
    return s < 0 ? 0 : (s > 255 ? 255 : s);
  }

  /** For each output index: the first source index and the count, and the fixed-point weights. */
  static final class Coefficients {
    final int taps;
    final int[] bounds;
    final int[] weights;

    private Coefficients(int taps, int[] bounds, int[] weights) {
      this.taps = taps;
      this.bounds = bounds;
      this.weights = weights;
    }

    /** Pillow's precompute_coeffs: pixel centres at in0 + (i + 0.5) * scale, support scaled when shrinking. */
    static Coefficients of(int inSize, double in0, double extent, int outSize, Filter filter) {
      double scale = extent / outSize;
      double filterScale = Math.max(1.0, scale);
      double support = filter.support * filterScale;
      int taps = (int) Math.ceil(support) * 2 + 1;
      int[] bounds = new int[2 * outSize];
      int[] weights = new int[taps * outSize];
      double[] w = new double[taps];
      for (int i = 0; i < outSize; i++) {
        double center = in0 + (i + 0.5) * scale;
        int xmin = Math.max(0, (int) Math.floor(center - support + 0.5));
        int xmax = Math.min(inSize, (int) Math.floor(center + support + 0.5));
        int n = xmax - xmin;
        double total = 0;
        for (int k = 0; k < n; k++) {
          w[k] = filter.weight((k + xmin - center + 0.5) / filterScale);
          total += w[k];
        }
        // Integer weights that sum to exactly 1 << PRECISION_BITS: a flat area stays exactly flat.
        int sum = 0;
        int largest = 0;
        for (int k = 0; k < n; k++) {
          int q = (int) Math.round((total != 0 ? w[k] / total : 0) * (1 << PRECISION_BITS));
          weights[i * taps + k] = q;
          sum += q;
          if (Math.abs(q) > Math.abs(weights[i * taps + largest])) {
            largest = k;
          }
        }
        weights[i * taps + largest] += (1 << PRECISION_BITS) - sum;
        bounds[2 * i] = xmin;
        bounds[2 * i + 1] = n;
      }
      return new Coefficients(taps, bounds, weights);
    }
  }
}

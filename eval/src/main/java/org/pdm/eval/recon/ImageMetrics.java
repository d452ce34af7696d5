package org.pdm.eval.recon;

/**
 * Full-reference image quality on 8-bit RGB pictures (uint8 HWC, values in [0, 255], data range 255).
 *
 * <p>PSNR = 10 log10(255^2 / MSE), the MSE over every pixel and channel of the picture (infinite
 * for identical pictures).
 *
 * <p>SSIM is Wang et al. (2004) with their Gaussian window, as skimage's
 * {@code structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=255, channel_axis=-1)} and torchmetrics compute it: local means, variances and covariance
 * under an 11x11 Gaussian window (sigma 1.5, truncated at 3.5 sigma = radius 5, normalized),
 * K1 = 0.01, K2 = 0.03, in float64; the SSIM map averaged over the positions where the whole window
 * lies inside the picture (both libraries crop 5 pixels at each border, which makes their padding
 * modes irrelevant), then over the three channels. Checked against {@code ssim_reference.py}.
 */
public final class ImageMetrics {
  /** Window radius: scipy's int(truncate * sigma + 0.5) with truncate 3.5 and sigma 1.5. */
  public static final int RADIUS = 5;
  static final double SIGMA = 1.5;
  private static final double L = 255;
  private static final double C1 = (0.01 * L) * (0.01 * L);
  private static final double C2 = (0.03 * L) * (0.03 * L);
  private static final double[] WINDOW = window();

  private ImageMetrics() {}

  private static double[] window() {
    double[] w = new double[2 * RADIUS + 1];
    double sum = 0;
    for (int i = -RADIUS; i <= RADIUS; i++) {
      w[i + RADIUS] = Math.exp(-0.5 * i * i / (SIGMA * SIGMA));
      sum += w[i + RADIUS];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= sum;
    }
    return w;
  }

  /** Mean squared error over all values of two uint8 pictures of one size. */
  public static double mse(byte[] a, byte[] b) {
    check(a, b);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xff) - (b[i] & 0xff);
      s += d * d;
    }
    return s / a.length;
  }

  /** PSNR in dB for data range 255; +Infinity when the pictures are equal. */
  public static double psnr(byte[] a, byte[] b) {
    return psnrOfMse(mse(a, b));
  }

  public static double psnrOfMse(double mse) {
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(L * L / mse);
  }

  /** Mean SSIM of two uint8 HWC RGB pictures, averaged over the three channels. */
  public static double ssim(byte[] a, byte[] b, int width, int height) {
    check(a, b);
    if (a.length != 3L * width * height) {
      throw new IllegalArgumentException(a.length + " bytes for a " + width + "x" + height + " RGB picture");
    }
    if (width <= 2 * RADIUS || height <= 2 * RADIUS) {
      throw new IllegalArgumentException("SSIM needs pictures of at least " + (2 * RADIUS + 1) + "x"
          + (2 * RADIUS + 1) + " (the Gaussian window), got " + width + "x" + height);
    }
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      sum += ssimChannel(channel(a, c, width, height), channel(b, c, width, height), width, height);
    }
    return sum / 3;
  }

  private static double[] channel(byte[] rgb, int c, int width, int height) {
    double[] out = new double[width * height];
    for (int i = 0; i < out.length; i++) {
      out[i] = rgb[3 * i + c] & 0xff;
    }
    return out;
  }

  /** Mean of the SSIM map over the valid positions of one channel. */
  static double ssimChannel(double[] x, double[] y, int width, int height) {
    int n = width * height;
    double[] xx = new double[n];
    double[] yy = new double[n];
    double[] xy = new double[n];
    for (int i = 0; i < n; i++) {
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
      xy[i] = x[i] * y[i];
    }
    double[] mx = filter(x, width, height);
    double[] my = filter(y, width, height);
    double[] mxx = filter(xx, width, height);
    double[] myy = filter(yy, width, height);
    double[] mxy = filter(xy, width, height);
    int vw = width - 2 * RADIUS;
    double sum = 0;
    for (int i = 0; i < mx.length; i++) {
      double ux = mx[i];
      double uy = my[i];
      double vx = mxx[i] - ux * ux;
      double vy = myy[i] - uy * uy;
      double vxy = mxy[i] - ux * uy;
      sum += (2 * ux * uy + C1) * (2 * vxy + C2) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
    }
    return sum / (vw * (double) (height - 2 * RADIUS));
  }

  /** The separable Gaussian filter at the valid positions: ((height - 2r) x (width - 2r)), row-major. */
  private static double[] filter(double[] v, int width, int height) {
    int vw = width - 2 * RADIUS;
    int vh = height - 2 * RADIUS;
    double[] rows = new double[height * vw]; // along x first
    for (int yy = 0; yy < height; yy++) {
      for (int x = 0; x < vw; x++) {
        double s = 0;
        for (int k = 0; k < WINDOW.length; k++) {
          s += WINDOW[k] * v[yy * width + x + k];
        }
        rows[yy * vw + x] = s;
      }
    }
    double[] out = new double[vh * vw];
    for (int yy = 0; yy < vh; yy++) {
      for (int x = 0; x < vw; x++) {
        double s = 0;
        for (int k = 0; k < WINDOW.length; k++) {
          s += WINDOW[k] * rows[(yy + k) * vw + x];
        }
        out[yy * vw + x] = s;
      }
    }
    return out;
  }

  private static void check(byte[] a, byte[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("pictures of different sizes: " + a.length + " and " + b.length + " bytes");
    }
  }
}

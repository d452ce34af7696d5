package org.pdm.eval.recon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** PSNR against hand computations; SSIM against eval/src/test/python/ssim_reference.py (numpy, scipy). */
class ImageMetricsTest {
  private static final int H = 20;
  private static final int W = 24;

  /** The script's base(): (x*7 + y*13 + c*29 + (x*y) % 17) % 256, HWC. */
  private static byte[] base() {
    byte[] out = new byte[H * W * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < 3; c++) {
          out[(y * W + x) * 3 + c] = (byte) ((x * 7 + y * 13 + c * 29 + (x * y) % 17) % 256);
        }
      }
    }
    return out;
  }

  /** The script's noisy(a): a + (x*31 + y*17 + c*5) % 41 - 20, clipped to [0, 255]. */
  private static byte[] noisy(byte[] a) {
    byte[] out = new byte[a.length];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < 3; c++) {
          int i = (y * W + x) * 3 + c;
          out[i] = (byte) Math.max(0, Math.min(255, (a[i] & 0xff) + (x * 31 + y * 17 + c * 5) % 41 - 20));
        }
      }
    }
    return out;
  }

  private static byte[] inverted(byte[] a) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (255 - (a[i] & 0xff));
    }
    return out;
  }

  @Test
  void psnrOfAnIdentityLikeReconstructionByHand() {
    byte[] a = base();
    byte[] b = a.clone();
    // every value off by exactly 2 (kept in range): MSE = 4, PSNR = 10 log10(255^2 / 4) = 42.1102 dB
    for (int i = 0; i < b.length; i++) {
      int v = a[i] & 0xff;
      b[i] = (byte) (v >= 2 ? v - 2 : v + 2);
    }
    assertEquals(4.0, ImageMetrics.mse(a, b));
    assertEquals(10 * Math.log10(65025 / 4.0), ImageMetrics.psnr(a, b), 1e-12);
    assertEquals(42.11020, ImageMetrics.psnr(a, b), 1e-5);
    // one value off by 255 in 1440: MSE = 255^2 / 1440, PSNR = 10 log10(1440) = 31.5836 dB
    byte[] c = new byte[a.length];
    c[0] = (byte) 255;
    assertEquals(10 * Math.log10(1440), ImageMetrics.psnr(new byte[a.length], c), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, a.clone()));
  }

  @Test
  void ssimMatchesTheReferenceScript() {
    byte[] a = base();
    // values printed by ssim_reference.py (scipy 1.10.1, numpy 1.24.2)
    assertEquals(0.9484242883202088, ImageMetrics.ssim(a, noisy(a), W, H), 1e-12);
    assertEquals(-0.6323563639425955, ImageMetrics.ssim(a, inverted(a), W, H), 1e-12);
    assertEquals(1.0, ImageMetrics.ssim(a, a.clone(), W, H), 1e-15);
    assertEquals(26.851907787620924, ImageMetrics.psnr(a, noisy(a)), 1e-12);
    assertEquals(4.723205002863051, ImageMetrics.psnr(a, inverted(a)), 1e-12);
  }

  @Test
  void ssimIsSymmetricAndRefusesPicturesSmallerThanItsWindow() {
    byte[] a = base();
    byte[] b = noisy(a);
    assertEquals(ImageMetrics.ssim(a, b, W, H), ImageMetrics.ssim(b, a, W, H), 1e-15);
    var e = assertThrows(IllegalArgumentException.class, () -> ImageMetrics.ssim(new byte[300], new byte[300], 10, 10));
    assertEquals("SSIM needs pictures of at least 11x11 (the Gaussian window), got 10x10", e.getMessage());
  }
}

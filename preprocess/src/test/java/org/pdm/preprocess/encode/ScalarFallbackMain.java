package org.pdm.preprocess.encode;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.pdm.preprocess.image.RgbImage;

/**
 * Run by {@link RowFiltersTest} in a JVM without {@code jdk.incubator.vector}: prints whether the SIMD
 * filters are used, then the SHA-256 of the PNG of {@link #image()}.
 */
public final class ScalarFallbackMain {
  private ScalarFallbackMain() {}

  /** A 300x200 picture with smooth ramps, edges and noise, so that every filter type is chosen. */
  static RgbImage image() {
    int w = 300;
    int h = 200;
    int[] px = new int[w * h];
    java.util.Random r = new java.util.Random(5);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int band = y / 40;
        int v = switch (band) {
          case 0 -> x;
          case 1 -> y * 3;
          case 2 -> r.nextInt(256);
          case 3 -> (x / 16 + y / 16) % 2 == 0 ? 30 : 220;
          default -> (x + y) / 2 + r.nextInt(4);
        };
        px[y * w + x] = ((v & 255) << 16) | (((v * 7) & 255) << 8) | ((255 - v) & 255);
      }
    }
    return new RgbImage(w, h, px);
  }

  static String pngSha256() throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PngEncoder.encode(image(), 6)));
  }

  public static void main(String[] args) throws Exception {
    System.out.println(RowFilters.VECTOR);
    System.out.println(pngSha256());
  }
}

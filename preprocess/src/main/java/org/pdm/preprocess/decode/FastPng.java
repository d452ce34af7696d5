package org.pdm.preprocess.decode;

import org.pdm.preprocess.encode.PngEncoder;
import org.pdm.preprocess.image.RgbImage;
import org.pdm.preprocess.natives.NativeDeflate;

/**
 * The common PNGs of photos, 8-bit RGB or RGBA, not interlaced, decoded with libdeflate's whole-buffer
 * inflate and the rows unfiltered here: the JDK's PNG reader took about 440 ms per 5120x2880 photo
 * here, most of the decode time left once JPEGs went to libturbojpeg. Pixels are those of the JDK
 * path exactly (alpha composited on white by {@link PixelConverter#composite}; {@code ImageDecoderTest}).
 * Anything else (other depths and colour types, a tRNS colour key, interlacing, a malformed or
 * truncated file) returns null and is left to the JDK's reader, whose errors become the rejects.
 */
final class FastPng {
  private FastPng() {}

  /** The stored region {@code (x, y, w, h)} of the PNG, or null when it is for the JDK's reader. */
  static RgbImage decode(byte[] b, NativeDeflate deflate, int x, int y, int w, int h) {
    if (b.length < 33 || (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R')) {
      return null;
    }
    int width = be(b, 16);
    int height = be(b, 20);
    int depth = b[24];
    int type = b[25];
    if (depth != 8 || (type != 2 && type != 6) || b[28] != 0 || width <= 0 || height <= 0
        || x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      return null;
    }
    int bpp = type == 6 ? 4 : 3;
    // The IDAT chunks, in order, as one zlib stream.
    long idat = 0;
    for (int i = 8; ; ) {
      if (i + 12 > b.length) {
        return null; // no IEND: truncated
      }
      long len = be(b, i) & 0xFFFFFFFFL;
      if (i + 12 + len > b.length) {
        return null;
      }
      int t = be(b, i + 4);
      if (t == TRNS) {
        return null; // a colour key: the JDK path composites it
      }
      if (t == IDAT) {
        idat += len;
      }
      if (t == IEND) {
        break;
      }
      i += 12 + (int) len;
    }
    long stride = (long) width * bpp;
    long rawBytes = height * (stride + 1);
    if (idat == 0 || rawBytes > Integer.MAX_VALUE) {
      return null;
    }
    NativeDeflate.Buffer buffer = deflate.buffer(idat);
    for (int i = 8; ; ) {
      int len = be(b, i);
      int t = be(b, i + 4);
      if (t == IDAT) {
        buffer.append(b, i + 8, len);
      }
      if (t == IEND) {
        break;
      }
      i += 12 + len;
    }
    try {
      if (!buffer.inflate(rawBytes)) {
        return null;
      }
      int n = (int) stride;
      byte[] prev = new byte[n];
      byte[] cur = new byte[n + 1];
      int[] out = new int[w * h];
      for (int row = 0; row < y + h; row++) { // rows below the region are never needed
        buffer.read(row * (stride + 1), cur, 0, n + 1);
        if (!unfilter(cur, prev, n, bpp)) {
          return null;
        }
        if (row >= y) {
          pack(cur, x, w, bpp, out, (row - y) * w);
        }
      }
      return new RgbImage(w, h, out);
    } finally {
      buffer.done();
    }
  }

  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454E44;
  private static final int TRNS = 0x74524E53;

  /**
   * Undoes the row's filter in place: {@code cur[0]} is the type, {@code cur[1..n]} the bytes; the
   * row is then copied into {@code prev} (without its type byte). False for an unknown type.
   */
  static boolean unfilter(byte[] cur, byte[] prev, int n, int bpp) {
    switch (cur[0]) {
      case 0 -> { }
      case 1 -> {
        for (int i = bpp; i < n; i++) {
          cur[i + 1] += cur[i + 1 - bpp];
        }
      }
      case 2 -> {
        for (int i = 0; i < n; i++) {
          cur[i + 1] += prev[i];
        }
      }
      case 3 -> {
        for (int i = 0; i < bpp; i++) {
          cur[i + 1] += (byte) ((prev[i] & 255) >> 1);
        }
        for (int i = bpp; i < n; i++) {
          cur[i + 1] += (byte) (((cur[i + 1 - bpp] & 255) + (prev[i] & 255)) >> 1);
        }
      }
      case 4 -> {
        for (int i = 0; i < bpp; i++) {
          cur[i + 1] += prev[i]; // no left neighbour: Paeth is up
        }
        for (int i = bpp; i < n; i++) {
          cur[i + 1] += (byte) PngEncoder.paeth(cur[i + 1 - bpp] & 255, prev[i] & 255, prev[i - bpp] & 255);
        }
      }
      default -> {
        return false;
      }
    }
    System.arraycopy(cur, 1, prev, 0, n);
    return true;
  }

  private static void pack(byte[] row, int x, int w, int bpp, int[] out, int o) {
    for (int i = 1 + x * bpp, k = 0; k < w; k++, i += bpp) {
      int r = row[i] & 255;
      int g = row[i + 1] & 255;
      int bl = row[i + 2] & 255;
      if (bpp == 4) {
        int a = row[i + 3] & 255;
        r = PixelConverter.composite(r, a);
        g = PixelConverter.composite(g, a);
        bl = PixelConverter.composite(bl, a);
      }
      out[o + k] = r << 16 | g << 8 | bl;
    }
  }

  private static int be(byte[] b, int i) {
    return (b[i] & 255) << 24 | (b[i + 1] & 255) << 16 | (b[i + 2] & 255) << 8 | (b[i + 3] & 255);
  }
}

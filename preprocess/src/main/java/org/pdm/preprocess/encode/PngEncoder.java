package org.pdm.preprocess.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.pdm.preprocess.image.RgbImage;
import org.pdm.preprocess.natives.NativeDeflate;

/**
 * A small PNG writer for 8-bit RGB with an sRGB chunk: per row, the filter (none, sub, up, average,
 * Paeth) with the smallest sum of absolute values (libpng's heuristic), then zlib at the given level.
 * Written here rather than through ImageIO to control the compression level and to skip a copy.
 * The deflate is the JDK's zlib, or libdeflate when given ({@code pdm.preprocess.native}); the
 * filter choice is SIMD when the JVM has the Vector API ({@link RowFilters}).
 */
public final class PngEncoder {
  private PngEncoder() {}

  /** {@link #encode(RgbImage, int, NativeDeflate)} with the JDK's zlib. */
  public static byte[] encode(RgbImage img, int level) throws IOException {
    return encode(img, level, null);
  }

  /**
   * The PNG of {@code img} at zlib level {@code level}; the IDAT stream is compressed by libdeflate
   * when {@code deflate} is given and the level is above 0 (at {@link #libdeflateLevel}), by the JDK's
   * {@link Deflater} otherwise. Both write a valid zlib stream of the same filtered rows: the pixels
   * are the same, the bytes are not.
   */
  public static byte[] encode(RgbImage img, int level, NativeDeflate deflate) throws IOException {
    if (deflate != null && level > 0) {
      return encodeNative(img, level, deflate);
    }
    int w = img.width();
    int h = img.height();
    int stride = w * 3;
    ByteArrayOutputStream out = new ByteArrayOutputStream(w * h + 1024);
    out.writeBytes(header(w, h));
    Deflater deflater = new Deflater(level);
    // Z_FILTERED, as libpng uses for filtered rows: faster than the default strategy on photos, and as small.
    deflater.setStrategy(Deflater.FILTERED);
    ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h);
    byte[] buf = new byte[64 * 1024];
    Rows rows = new Rows(img);
    try {
      for (int y = 0; y < h; y++) {
        deflater.setInput(rows.next(), 0, stride + 1);
        while (!deflater.needsInput()) {
          int n = deflater.deflate(buf);
          idat.write(buf, 0, n);
        }
      }
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buf);
        idat.write(buf, 0, n);
      }
    } finally {
      deflater.end();
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * libdeflate's level for a zlib level: the same number. libdeflate's levels 1 to 9 are meant to
   * compress like zlib's; measured on the photos' outputs ({@code docs/preprocess.md}).
   */
  static int libdeflateLevel(int zlibLevel) {
    return zlibLevel;
  }

  /** Filtered rows into this thread's native buffer, compressed at once, then the file assembled around them. */
  private static byte[] encodeNative(RgbImage img, int level, NativeDeflate deflate) {
    int w = img.width();
    int h = img.height();
    int stride = w * 3;
    NativeDeflate.Buffer buffer = deflate.buffer((long) h * (stride + 1));
    Rows rows = new Rows(img);
    for (int y = 0; y < h; y++) {
      buffer.append(rows.next(), 0, stride + 1);
    }
    int n = buffer.compress(libdeflateLevel(level));
    byte[] head = header(w, h);
    byte[] png = new byte[head.length + 12 + n + 12];
    ByteBuffer b = ByteBuffer.wrap(png);
    b.put(head).putInt(n).put(IDAT);
    buffer.copyTo(png, b.position());
    buffer.done();
    b.position(b.position() + n);
    CRC32 crc = new CRC32();
    crc.update(png, head.length + 4, 4 + n);
    b.putInt((int) crc.getValue());
    b.putInt(0).put(IEND);
    crc.reset();
    crc.update(IEND);
    b.putInt((int) crc.getValue());
    return png;
  }

  private static final byte[] IDAT = "IDAT".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IEND = "IEND".getBytes(StandardCharsets.US_ASCII);

  /** Signature, IHDR (8-bit RGB, not interlaced) and sRGB. */
  private static byte[] header(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(out, "sRGB", new byte[] {0}); // perceptual intent: the pixels are sRGB
    return out.toByteArray();
  }

  /** The image's rows one after the other, each filtered and preceded by its filter type. */
  private static final class Rows {
    private final int[] px;
    private final int w;
    private byte[] prev;
    private byte[] cur;
    private final byte[][] candidates;
    private int y;

    Rows(RgbImage img) {
      px = img.pixels();
      w = img.width();
      prev = new byte[w * 3];
      cur = new byte[w * 3];
      candidates = new byte[1][w * 3 + 1];
    }

    /** The next filtered row (stride + 1 bytes; the array is reused by the call after). */
    byte[] next() {
      for (int x = 0, i = y * w; x < w; x++, i++) {
        int p = px[i];
        cur[3 * x] = (byte) (p >> 16);
        cur[3 * x + 1] = (byte) (p >> 8);
        cur[3 * x + 2] = (byte) p;
      }
      byte[] row = filter(cur, prev, candidates);
      byte[] t = prev;
      prev = cur;
      cur = t;
      y++;
      return row;
    }
  }

  /**
   * Picks the row's filter by the smallest sum of |signed residual| (libpng's heuristic), then writes
   * only that one ({@link RowFilters}: SIMD when the JVM has the Vector API, the same bytes either way,
   * {@code PngEncoderTest} and {@code RowFiltersTest}).
   */
  static byte[] filter(byte[] cur, byte[] prev, byte[][] c) {
    long[] cost = new long[5];
    RowFilters.sums(cur, prev, cost);
    int best = 0;
    long min = cost[0];
    for (int f = 1; f < 5; f++) {
      if (cost[f] < min) {
        min = cost[f];
        best = f;
      }
    }
    byte[] out = c[0];
    out[0] = (byte) best;
    RowFilters.write(best, cur, prev, out);
    return out;
  }

  /**
   * The Paeth predictor: a if pa <= pb and pa <= pc, else b if pb <= pc, else d. Without branches
   * (sign masks): on photos the choice is unpredictable, and mispredicted branches made Paeth the
   * costliest part of the filtering.
   */
  public static int paeth(int a, int b, int d) {
    int pa = Math.abs(b - d);
    int pb = Math.abs(a - d);
    int pc = Math.abs(a + b - 2 * d);
    int takeB = ~((pc - pb) >> 31); // all ones when pb <= pc
    int bd = d ^ ((b ^ d) & takeB);
    int takeA = ~((pb - pa) >> 31) & ~((pc - pa) >> 31); // all ones when pa <= pb and pa <= pc
    return bd ^ ((a ^ bd) & takeA);
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}

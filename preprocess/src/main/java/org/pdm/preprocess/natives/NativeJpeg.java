package org.pdm.preprocess.natives;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import org.pdm.preprocess.image.RgbImage;

/**
 * JPEG decoding by the system's libjpeg-turbo through its TurboJPEG API ({@code libturbojpeg.so.0},
 * Debian/Ubuntu {@code libturbojpeg0}, RHEL {@code turbojpeg}): SIMD IDCT and colour conversion, one
 * output pass for progressive files, and DCT-domain scaling (Pillow's draft mode).
 *
 * <p>Only the scales 1/1, 1/2, 1/4 and 1/8 are used: measured on 2560x1600 photos here, libjpeg-turbo's
 * other factors (7/8, 3/4, 5/8, 3/8) have no SIMD IDCT and took 1.4 to 3x the time of a full-size
 * decode (a 1/2 decode about 0.8x). Only 3-component (YCbCr or RGB) and grey JPEGs are decoded here;
 * CMYK and YCCK, and every file the library reports a warning or error for, are left to the JDK path
 * ({@link Attempt#fallback}), so that its reasons and rejects stay the same.
 *
 * <p>Each thread keeps a decompressor handle and native buffers, grown as needed and reused.
 */
public final class NativeJpeg {
  /** The library's name for the dynamic loader. */
  public static final String LIBRARY = "libturbojpeg.so.0";

  /** Four bytes per pixel that read as one native-order int 0xXXRRGGBB: BGRX (3) little-endian, XRGB (5) big. */
  private static final int PIXEL_FORMAT = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? 3 : 5;
  private static final int TJCS_CMYK = 3;
  private static final int TJCS_YCCK = 4;
  private static final int TJFLAG_STOPONWARNING = 8192;
  private static final int TJFLAG_LIMITSCANS = 32768; // refuse progressive files with > 500 scans (a CPU bomb)

  private static final class Lib {
    static native Pointer tjInitDecompress();

    static native int tjDecompressHeader3(Pointer handle, Pointer jpeg, NativeLong size, int[] width, int[] height,
        int[] subsampling, int[] colorspace);

    static native Pointer tjGetScalingFactors(int[] count);

    static native int tjDecompress2(Pointer handle, Pointer jpeg, NativeLong size, Pointer dst, int width, int pitch,
        int height, int pixelFormat, int flags);

    static native int tjDestroy(Pointer handle);

    static native String tjGetErrorStr2(Pointer handle);
  }

  private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
  /** Denominators of the usable scales 1/d, largest first (8, 4, 2, 1). */
  private final int[] denominators;
  private final ThreadLocal<State> states = ThreadLocal.withInitial(State::new);

  private NativeJpeg(int[] denominators) {
    this.denominators = denominators;
  }

  /**
   * Binds the library and reads its scaling factors.
   *
   * @throws LinkageError or a runtime exception, with the loader's reason, when it is not usable
   */
  static NativeJpeg load() {
    if (Native.LONG_SIZE != 8) {
      throw new UnsatisfiedLinkError("the binding assumes a 64-bit C long; this JVM has " + Native.LONG_SIZE);
    }
    Native.register(Lib.class, NativeLibrary.getInstance(LIBRARY));
    int[] n = new int[1];
    Pointer f = Lib.tjGetScalingFactors(n);
    if (f == null || n[0] <= 0) {
      throw new IllegalStateException(LIBRARY + ": tjGetScalingFactors returned no factors");
    }
    List<Integer> ds = new ArrayList<>();
    for (int i = 0; i < n[0]; i++) {
      int num = f.getInt(8L * i);
      int denom = f.getInt(8L * i + 4);
      if (num == 1 && (denom == 1 || denom == 2 || denom == 4 || denom == 8)) {
        ds.add(denom);
      }
    }
    if (!ds.contains(1)) {
      throw new IllegalStateException(LIBRARY + " offers no 1/1 scale");
    }
    ds.sort((a, b) -> b - a);
    State s = new State(); // proves that a decompressor can be made
    s.close();
    return new NativeJpeg(ds.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * What came of one decode: the region's pixels with the exact box it covers, or why the JDK path
   * must do it.
   *
   * @param image the decoded pixels of the smallest whole-pixel box around the region, stored
   *     orientation, as the file's samples (no colour management), or null on fallback
   * @param region {x, y, w, h} of the requested region inside {@code image}, in its (scaled) pixels
   * @param denominator the DCT scale 1/denominator used
   * @param reduced the block average k applied while reading (1 for none)
   * @param fallback why this JPEG goes to the JDK path, or null
   */
  public record Attempt(RgbImage image, double[] region, int denominator, int reduced, String fallback) {
    static Attempt fallback(String why) {
      return new Attempt(null, null, 0, 1, why);
    }
  }

  /**
   * Decodes the stored region {@code (x, y, w, h)} of a JPEG of {@code storedW x storedH} at the
   * smallest scale 1/d whose scaled region is still at least {@code minW x minH} (1/1 when none is).
   * When that is 1/1, {@code reduce > 1} and w and h are multiples of it, the region is reduced by
   * exact {@code reduce x reduce} block averages while it is read ({@link Attempt#reduced}), so that
   * the full-size region is never copied into Java.
   */
  public Attempt decode(byte[] jpeg, int storedW, int storedH, int x, int y, int w, int h, double minW, double minH,
      int reduce) {
    State s = states.get();
    s.input(jpeg);
    try {
      return decode(s, jpeg.length, storedW, storedH, x, y, w, h, minW, minH, reduce);
    } finally {
      s.done();
    }
  }

  private Attempt decode(State s, int length, int storedW, int storedH, int x, int y, int w, int h, double minW,
      double minH, int reduce) {
    NativeLong size = new NativeLong(length);
    int[] width = new int[1];
    int[] height = new int[1];
    int[] sub = new int[1];
    int[] cs = new int[1];
    if (Lib.tjDecompressHeader3(s.handle, s.in, size, width, height, sub, cs) != 0) {
      return Attempt.fallback("header: " + Lib.tjGetErrorStr2(s.handle));
    }
    if (cs[0] == TJCS_CMYK || cs[0] == TJCS_YCCK) {
      return Attempt.fallback(cs[0] == TJCS_CMYK ? "CMYK" : "YCCK");
    }
    if (width[0] != storedW || height[0] != storedH) {
      return Attempt.fallback("libturbojpeg reads " + width[0] + "x" + height[0] + " where the header probe read "
          + storedW + "x" + storedH);
    }
    int d = 1;
    for (int den : denominators) {
      if (w / (double) den >= minW && h / (double) den >= minH) {
        d = den;
        break;
      }
    }
    int sw = (storedW + d - 1) / d; // TJSCALED
    int sh = (storedH + d - 1) / d;
    s.output((long) sw * sh * 4);
    if (Lib.tjDecompress2(s.handle, s.in, size, s.out, sw, sw * 4, sh, PIXEL_FORMAT,
        TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0) {
      return Attempt.fallback(Lib.tjGetErrorStr2(s.handle));
    }
    if (d == 1 && reduce > 1 && w % reduce == 0 && h % reduce == 0) {
      return reduced(s.out, sw, x, y, w, h, reduce);
    }
    return crop(s.out, sw, sh, x, y, w, h, d);
  }

  /** The region (w, h multiples of k) of the full-size picture as k x k block averages, read k rows at a time. */
  private static Attempt reduced(Memory decoded, int sw, int x, int y, int w, int h, int k) {
    int ow = w / k;
    int oh = h / k;
    int[] out = new int[ow * oh];
    int[] row = new int[w];
    int[] r = new int[ow];
    int[] g = new int[ow];
    int[] b = new int[ow];
    for (int oy = 0; oy < oh; oy++) {
      java.util.Arrays.fill(r, 0);
      java.util.Arrays.fill(g, 0);
      java.util.Arrays.fill(b, 0);
      for (int dy = 0; dy < k; dy++) {
        decoded.read(((long) (y + oy * k + dy) * sw + x) * 4, row, 0, w);
        org.pdm.preprocess.geometry.Resampler.addBlockSums(row, 0, w, k, r, g, b);
      }
      org.pdm.preprocess.geometry.Resampler.writeBlockAverages(r, g, b, k, w, k, out, oy * ow);
    }
    return new Attempt(new RgbImage(ow, oh, out), new double[] {0, 0, ow, oh}, 1, k, null);
  }

  /** The region in the decoded 1/d-scale picture ({@code sw x sh}, four bytes per pixel). */
  private static Attempt crop(Memory decoded, int sw, int sh, int x, int y, int w, int h, int d) {
    // Scaled pixel j covers stored pixels [j*d, (j+1)*d): the region in scaled pixels, and the
    // smallest whole-pixel box around it.
    double fx = x / (double) d;
    double fy = y / (double) d;
    double fw = w / (double) d;
    double fh = h / (double) d;
    int x0 = (int) Math.floor(fx);
    int y0 = (int) Math.floor(fy);
    int x1 = Math.min(sw, (int) Math.ceil(fx + fw));
    int y1 = Math.min(sh, (int) Math.ceil(fy + fh));
    int bw = x1 - x0;
    int bh = y1 - y0;
    int[] px = new int[bw * bh];
    for (int row = 0; row < bh; row++) {
      decoded.read(((long) (y0 + row) * sw + x0) * 4, px, row * bw, bw);
    }
    for (int i = 0; i < px.length; i++) {
      px[i] &= 0xFFFFFF; // the X byte
    }
    return new Attempt(new RgbImage(bw, bh, px), new double[] {fx - x0, fy - y0, fw, fh}, d, 1, null);
  }

  /** One thread's decompressor and buffers; the handle is destroyed when the state is unreachable. */
  private static final class State {
    final Pointer handle;
    private final Runnable destroy;
    Memory in;
    Memory out;

    State() {
      Pointer h = Lib.tjInitDecompress();
      if (h == null) {
        throw new IllegalStateException(LIBRARY + ": tjInitDecompress returned NULL");
      }
      handle = h;
      destroy = CLEANER.register(this, () -> Lib.tjDestroy(h))::clean;
    }

    void input(byte[] jpeg) {
      if (in == null || in.size() < jpeg.length) {
        in = new Memory(Math.max(jpeg.length, 1 << 20));
      }
      in.write(0, jpeg, 0, jpeg.length);
    }

    void output(long bytes) {
      if (out == null || out.size() < bytes) {
        out = new Memory(bytes);
      }
    }

    /** Frees a buffer over 64 MB (a huge image's) instead of keeping it for the thread's next image. */
    void done() {
      if (in != null && in.size() > NativeDeflate.RETAINED_BYTES) {
        in.close();
        in = null;
      }
      if (out != null && out.size() > NativeDeflate.RETAINED_BYTES) {
        out.close();
        out = null;
      }
    }

    void close() {
      destroy.run();
    }
  }
}

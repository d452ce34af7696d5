package org.pdm.preprocess.decode;

import java.awt.Rectangle;
import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.pdm.preprocess.Reasons;
import org.pdm.preprocess.image.RgbImage;
import org.pdm.preprocess.natives.NativeDeflate;
import org.pdm.preprocess.natives.NativeJpeg;

/**
 * Turns encoded bytes into an upright 8-bit sRGB picture, in two steps so that nothing large is
 * decoded before it is known to be wanted: {@link #probe} reads only the header (format, size,
 * EXIF orientation, embedded profile) and refuses decompression bombs; {@link #decode} then decodes
 * the region that is needed.
 *
 * <p>Readers: TwelveMonkeys for JPEG (CMYK and YCCK included, embedded ICC profiles applied) and
 * WebP (ICC applied), the JDK for PNG, GIF (first frame), BMP and TIFF. PNG profiles (iCCP), which
 * the JDK ignores, and any RGB result still in a non-sRGB colour space are converted here.
 *
 * <p>JPEG reduced-scale decoding: neither the JDK's reader nor TwelveMonkeys' (which delegates the
 * entropy decoding and IDCT to the JDK's libjpeg) exposes libjpeg's {@code scale_num/scale_denom}.
 * {@link ImageReadParam#setSourceSubsampling} is not a substitute: it decodes every block at full size
 * and then keeps every n-th pixel, which aliases (no averaging) and saves no IDCT work. So JPEGs are
 * decoded at full size, only the crop region ({@link ImageReadParam#setSourceRegion}, which saves
 * the colour conversion and copying of the rest), and the large shrink starts with an exact
 * {@code k x k} block average ({@code Resampler.reduce}), the same reduction a DCT-domain 1/k
 * decode approximates. Subsampling is used only for contact-sheet thumbnails of rejects.
 *
 * <p>With the native codecs ({@code pdm.preprocess.native = auto}): {@link #decodeNative} decodes
 * JPEGs with libturbojpeg, DCT scaling included, and {@link #decode} inflates 8-bit RGB(A) PNGs with
 * libdeflate ({@link FastPng}); whatever they cannot do exactly goes the JDK way above.
 */
public final class ImageDecoder {
  private final long maxPixels;
  private final NativeJpeg nativeJpeg;
  private final NativeDeflate nativeDeflate;
  /** JPEGs decoded by libturbojpeg, and those it left to the JDK path by reason. */
  private long nativeDecodes;
  private long nativePngDecodes;
  private final Map<String, Long> nativeFallbacks = new TreeMap<>();

  /** @param maxPixels the largest width x height decoded; more is refused as a decompression bomb */
  public ImageDecoder(long maxPixels) {
    this(maxPixels, null, null);
  }

  /**
   * @param maxPixels the largest width x height decoded; more is refused as a decompression bomb
   * @param nativeJpeg libturbojpeg for {@link #decodeNative}, or null for the JDK only
   * @param nativeDeflate libdeflate for 8-bit RGB(A) PNGs ({@link FastPng}), or null for the JDK's reader
   */
  public ImageDecoder(long maxPixels, NativeJpeg nativeJpeg, NativeDeflate nativeDeflate) {
    this.maxPixels = maxPixels;
    this.nativeJpeg = nativeJpeg;
    this.nativeDeflate = nativeDeflate;
  }

  /**
   * What the header says.
   *
   * @param format the container format
   * @param storedWidth width as stored, before orientation
   * @param storedHeight height as stored
   * @param orientation EXIF orientation, 1 to 8
   * @param icc the embedded ICC profile's bytes, or null
   * @param components colour components of a JPEG (4 for CMYK and YCCK), 0 for other formats
   */
  public record Probe(ImageFormat format, int storedWidth, int storedHeight, int orientation, byte[] icc,
      int components) {
    /** Width as seen, after orientation. */
    public int width() {
      return Orientation.swapsSides(orientation) ? storedHeight : storedWidth;
    }

    public int height() {
      return Orientation.swapsSides(orientation) ? storedWidth : storedHeight;
    }
  }

  /**
   * @param image the decoded region, upright, sRGB
   * @param profile what the source's colours were: "none (sRGB assumed)", or the embedded profile's
   *     name, with " -> sRGB" when it was converted
   */
  public record Decoded(RgbImage image, String profile, double[] region) {
    public Decoded(RgbImage image, String profile) {
      this(image, profile, new double[] {0, 0, image.width(), image.height()});
    }
  }

  /**
   * The upright region {@code (x, y, w, h)} of a JPEG decoded by libturbojpeg at the smallest DCT
   * scale 1/d (d of 1, 2, 4, 8) that keeps it at least {@code minW x minH}, converted to sRGB; its
   * {@link Decoded#region} is where the requested region lies in the returned pixels (fractional:
   * the resampler finishes the crop). Null when this image is for {@link #decode} instead: not a JPEG,
   * no native decoder, CMYK or YCCK, a profile that is not RGB, or any warning or error from the
   * library (the JDK path then decides what is damage); the reason is counted
   * ({@link #nativeFallbacks}).
   */
  public Decoded decodeNative(byte[] bytes, Probe probe, int x, int y, int w, int h, double minW, double minH) {
    return decodeNative(bytes, probe, x, y, w, h, minW, minH, 1);
  }

  /**
   * As {@link #decodeNative(byte[], Probe, int, int, int, int, double, double)}, the region then
   * reduced by exact {@code reduce x reduce} block averages (as {@link #decode} does; w and h
   * multiples of it), fused into reading libturbojpeg's full-size output when it decoded at 1/1.
   */
  public Decoded decodeNative(byte[] bytes, Probe probe, int x, int y, int w, int h, double minW, double minH,
      int reduce) {
    if (nativeJpeg == null || probe.format() != ImageFormat.JPEG) {
      return null;
    }
    if (probe.components() == 4) {
      return fallback("CMYK or YCCK");
    }
    ICC_Profile icc = null;
    if (probe.icc() != null) {
      try {
        icc = ICC_Profile.getInstance(probe.icc());
      } catch (RuntimeException e) {
        icc = null; // unreadable: named below, pixels as stored (as the JDK path)
      }
      if (icc != null && icc.getColorSpaceType() != ColorSpace.TYPE_RGB) {
        return fallback("ICC profile not RGB");
      }
    }
    int[] stored = Orientation.toStored(probe.orientation(), probe.storedWidth(), probe.storedHeight(), x, y, w, h);
    boolean swap = Orientation.swapsSides(probe.orientation());
    NativeJpeg.Attempt a;
    try {
      a = nativeJpeg.decode(bytes, probe.storedWidth(), probe.storedHeight(), stored[0], stored[1], stored[2], stored[3],
          swap ? minH : minW, swap ? minW : minH, reduce);
    } catch (RuntimeException | LinkageError e) {
      return fallback("libturbojpeg failed: " + e.getClass().getSimpleName());
    }
    if (a.fallback() != null) {
      return fallback(a.fallback().startsWith("CMYK") || a.fallback().startsWith("YCCK") ? "CMYK or YCCK"
          : "libturbojpeg warning or error");
    }
    RgbImage rgb = a.image();
    double[] region = a.region();
    if (reduce > 1 && a.reduced() == 1) {
      rgb = org.pdm.preprocess.geometry.Resampler.reduce(rgb, reduce);
      region = new double[] {0, 0, rgb.width(), rgb.height()};
    }
    String profile = applyEmbedded(probe, ColorSpace.getInstance(ColorSpace.CS_sRGB), rgb, "none (sRGB assumed)");
    if (profile.endsWith(" -> sRGB")) {
      rgb = IccProfiles.toSrgb(rgb, icc);
    }
    nativeDecodes++;
    return new Decoded(Orientation.apply(rgb, probe.orientation()), profile,
        Orientation.toUpright(probe.orientation(), rgb.width(), rgb.height(), region));
  }

  /** {@link FastPng}'s decode of the stored region, profile applied as the JDK path does for PNG; null to use the JDK's reader. */
  private Decoded fastPng(byte[] bytes, Probe probe, int[] stored, int reduce) {
    if (probe.icc() != null) {
      try {
        if (ICC_Profile.getInstance(probe.icc()).getColorSpaceType() != ColorSpace.TYPE_RGB) {
          return null;
        }
      } catch (RuntimeException e) {
        // unreadable: named by applyEmbedded, pixels as stored (as the JDK path)
      }
    }
    RgbImage rgb;
    try {
      rgb = FastPng.decode(bytes, nativeDeflate, stored[0], stored[1], stored[2], stored[3]);
    } catch (RuntimeException | LinkageError e) {
      rgb = null;
    }
    if (rgb == null) {
      return null;
    }
    rgb = org.pdm.preprocess.geometry.Resampler.reduce(rgb, reduce);
    String profile = applyEmbedded(probe, ColorSpace.getInstance(ColorSpace.CS_sRGB), rgb, "none (sRGB assumed)");
    if (profile.endsWith(" -> sRGB")) {
      rgb = IccProfiles.toSrgb(rgb, ICC_Profile.getInstance(probe.icc()));
    }
    nativePngDecodes++;
    return new Decoded(Orientation.apply(rgb, probe.orientation()), profile);
  }

  /** How many PNGs were decoded with libdeflate's inflate ({@link FastPng}). */
  public long nativePngDecodes() {
    return nativePngDecodes;
  }

  private Decoded fallback(String reason) {
    nativeFallbacks.merge(reason, 1L, Long::sum);
    return null;
  }

  /** How many JPEGs {@link #decodeNative} decoded. */
  public long nativeDecodes() {
    return nativeDecodes;
  }

  /** JPEGs {@link #decodeNative} left to the JDK path, by reason (a copy). */
  public Map<String, Long> nativeFallbacks() {
    return new TreeMap<>(nativeFallbacks);
  }

  public Probe probe(byte[] bytes) throws DecodeException {
    ImageFormat format = ImageFormat.sniff(bytes);
    if (format == ImageFormat.UNKNOWN) {
      throw new DecodeException(Reasons.UNSUPPORTED_FORMAT, ImageFormat.describeUnknown(bytes));
    }
    int w;
    int h;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = reader(in, format);
      try {
        reader.setInput(in, true, true);
        w = reader.getWidth(0);
        h = reader.getHeight(0);
      } finally {
        reader.dispose();
      }
    } catch (DecodeException e) {
      throw e;
    } catch (Exception | LinkageError e) {
      throw new DecodeException(Reasons.DECODE_ERROR, "unreadable " + format.id() + " header: " + message(e));
    }
    if (w <= 0 || h <= 0) {
      throw new DecodeException(Reasons.DECODE_ERROR, format.id() + " header gives a size of " + w + "x" + h);
    }
    if ((long) w * h > maxPixels) {
      throw new DecodeException(Reasons.TOO_LARGE, w + "x" + h + " = " + ((long) w * h) + " pixels is over the cap of "
          + maxPixels + " (preprocess.max-pixels): refused as a possible decompression bomb");
    }
    return new Probe(format, w, h, Orientation.read(bytes, format), IccProfiles.extract(bytes, format),
        format == ImageFormat.JPEG ? jpegComponents(bytes) : 0);
  }

  /** Decodes the whole image, upright. */
  public Decoded decode(byte[] bytes, Probe probe) throws DecodeException {
    return decode(bytes, probe, 0, 0, probe.width(), probe.height(), 1, 1);
  }

  /** Decodes the rectangle {@code (x, y, w, h)} of the upright image. */
  public Decoded decode(byte[] bytes, Probe probe, int x, int y, int w, int h, int subsampling) throws DecodeException {
    return decode(bytes, probe, x, y, w, h, subsampling, 1);
  }

  /**
   * Decodes the rectangle {@code (x, y, w, h)} of the upright image, reduced by exact {@code k x k}
   * block averages when {@code reduce > 1}: done while converting the decoder's raster, before the
   * colour conversion and the orientation (both are per-pixel, so the order only matters at partial
   * blocks: give w and h as multiples of k to have none).
   *
   * @param subsampling 1 for every pixel; n keeps every n-th pixel (aliased: thumbnails only)
   * @param reduce the block size, 1 for none
   */
  public Decoded decode(byte[] bytes, Probe probe, int x, int y, int w, int h, int subsampling, int reduce)
      throws DecodeException {
    if (probe.format() == ImageFormat.BMP) {
      String cut = bmpTruncation(bytes);
      if (cut != null) {
        throw new DecodeException(Reasons.DECODE_ERROR, "bmp is truncated: " + cut);
      }
    }
    int[] stored = Orientation.toStored(probe.orientation(), probe.storedWidth(), probe.storedHeight(), x, y, w, h);
    if (nativeDeflate != null && probe.format() == ImageFormat.PNG && subsampling == 1) {
      Decoded d = fastPng(bytes, probe, stored, reduce);
      if (d != null) {
        return d;
      }
    }
    BufferedImage img;
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = reader(in, probe.format());
      try {
        reader.setInput(in, true, true);
        reader.addIIOReadWarningListener(new IIOReadWarningListener() {
          @Override
          public void warningOccurred(ImageReader source, String warning) {
            warnings.add(warning);
          }
        });
        ImageReadParam param = reader.getDefaultReadParam();
        if (stored[0] != 0 || stored[1] != 0 || stored[2] != probe.storedWidth() || stored[3] != probe.storedHeight()) {
          param.setSourceRegion(new Rectangle(stored[0], stored[1], stored[2], stored[3]));
        }
        if (subsampling > 1) {
          param.setSourceSubsampling(subsampling, subsampling, 0, 0);
        }
        img = reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (DecodeException e) {
      throw e;
    } catch (OutOfMemoryError e) {
      throw new DecodeException(Reasons.DECODE_ERROR, "out of memory decoding " + probe.storedWidth() + "x"
          + probe.storedHeight() + ": lower preprocess.max-pixels or give executors more memory");
    } catch (Exception | LinkageError e) {
      throw new DecodeException(Reasons.DECODE_ERROR, probe.format().id() + " data cannot be decoded: " + message(e));
    }
    for (String warning : warnings) {
      if (damaged(warning)) {
        throw new DecodeException(Reasons.DECODE_ERROR, probe.format().id() + " is truncated or corrupt: " + warning);
      }
    }
    String profile = "none (sRGB assumed)";
    ColorSpace cs = img.getColorModel().getColorSpace();
    RgbImage rgb;
    if (cs.getType() != ColorSpace.TYPE_RGB && cs.getType() != ColorSpace.TYPE_GRAY) {
      // A reader that left CMYK or another space as is: converted by the JDK's colour management.
      BufferedImage srgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
      new ColorConvertOp(null).filter(img, srgb);
      rgb = PixelConverter.toRgbReduced(srgb, reduce);
      profile = "colour space type " + cs.getType() + " -> sRGB";
    } else if (cs.getType() == ColorSpace.TYPE_RGB && !cs.isCS_sRGB() && cs instanceof ICC_ColorSpace ics) {
      ICC_Profile p = ics.getProfile();
      rgb = IccProfiles.toSrgb(PixelConverter.toRgbReduced(img, reduce), p);
      profile = IccProfiles.describe(p) + " -> sRGB";
    } else {
      rgb = PixelConverter.toRgbReduced(img, reduce);
      profile = applyEmbedded(probe, cs, rgb, profile);
      if (profile.endsWith(" -> sRGB") && probe.format() == ImageFormat.PNG) {
        rgb = IccProfiles.toSrgb(rgb, ICC_Profile.getInstance(probe.icc()));
      }
    }
    if (subsampling == 1 && (rgb.width() != (stored[2] + reduce - 1) / reduce
        || rgb.height() != (stored[3] + reduce - 1) / reduce)) {
      throw new DecodeException(Reasons.DECODE_ERROR, "the " + probe.format().id() + " reader returned " + rgb.width() + "x"
          + rgb.height() + " for a region of " + stored[2] + "x" + stored[3]);
    }
    return new Decoded(Orientation.apply(rgb, probe.orientation()), profile);
  }

  /**
   * Names the embedded profile. JPEG and WebP readers have already applied it; for PNG the caller
   * converts when this returns a name ending in " -> sRGB".
   */
  private static String applyEmbedded(Probe probe, ColorSpace cs, RgbImage rgb, String none) {
    if (probe.icc() == null) {
      return probe.components() == 4 ? "CMYK (no profile) -> sRGB" : none;
    }
    ICC_Profile p;
    try {
      p = ICC_Profile.getInstance(probe.icc());
    } catch (RuntimeException e) {
      return "unreadable ICC profile (sRGB assumed)";
    }
    String name = IccProfiles.describe(p);
    if (cs.getType() == ColorSpace.TYPE_GRAY || p.getColorSpaceType() != ColorSpace.TYPE_RGB) {
      return name + (p.getColorSpaceType() == ColorSpace.TYPE_CMYK ? " -> sRGB" : "");
    }
    try {
      return IccProfiles.isSrgb(p) ? name : name + " -> sRGB";
    } catch (CMMException e) {
      // It parses, but the colour management cannot build a transform from it (a tag missing or
      // malformed): no reader could have applied it either, so the pixels are as stored.
      return name + ": unusable ICC profile (sRGB assumed)";
    }
  }

  /** The component count in a JPEG's start-of-frame segment, 0 when there is none before the scan. */
  static int jpegComponents(byte[] b) {
    int i = 2;
    while (i + 10 <= b.length && (b[i] & 255) == 0xFF) {
      int marker = b[i + 1] & 255;
      if (marker == 0xDA || marker == 0xD9) {
        return 0;
      }
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return b[i + 9] & 255;
      }
      i += 2 + (((b[i + 2] & 255) << 8) | (b[i + 3] & 255));
    }
    return 0;
  }

  /**
   * Why a BMP is shorter than its header says, or null. The JDK's BMP reader neither throws nor warns
   * on a truncated file: the missing rows come back black (the top of the picture, as BMP rows are
   * stored bottom-up). Uncompressed pixel arrays (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS) must hold
   * every row, padded to 4 bytes, from the pixel offset on; for compressed ones (RLE) the file size in
   * the file header, when set, must be there.
   */
  static String bmpTruncation(byte[] b) {
    if (b.length < 26) {
      return "only " + b.length + " bytes";
    }
    long fileSize = le(b, 2, 4);
    long offset = le(b, 10, 4);
    long dib = le(b, 14, 4);
    long width;
    long height;
    int bits;
    long compression = 0;
    if (dib == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sides, never compressed
      width = le(b, 18, 2);
      height = le(b, 20, 2);
      bits = (int) le(b, 24, 2);
    } else {
      if (b.length < 34) {
        return "only " + b.length + " bytes";
      }
      width = (int) le(b, 18, 4);
      height = Math.abs((long) (int) le(b, 22, 4)); // negative: stored top-down
      bits = (int) le(b, 28, 2);
      compression = le(b, 30, 4);
    }
    if (compression == 0 || compression == 3 || compression == 6) {
      long need = offset + ((bits * Math.abs(width) + 31) / 32) * 4 * height;
      return b.length < need ? b.length + " bytes, where the header's " + Math.abs(width) + "x" + height + " at "
          + bits + " bits needs " + need : null;
    }
    return fileSize > b.length ? b.length + " bytes, where the header gives a file size of " + fileSize : null;
  }

  /** An unsigned little-endian integer of n bytes at i. */
  private static long le(byte[] b, int i, int n) {
    long v = 0;
    for (int k = n - 1; k >= 0; k--) {
      v = v << 8 | (b[i + k] & 255);
    }
    return v;
  }

  private static final java.util.regex.Pattern DAMAGE = java.util.regex.Pattern.compile(
      "(?i).*(premature end|truncat|corrupt jpeg data|end of file|\\beof\\b|huffman|bogus).*");

  /**
   * True for a reader warning that means missing or garbage pixels (libjpeg's "Premature end of JPEG
   * file", "Corrupt JPEG data: bad Huffman code", ...). libjpeg's "extraneous bytes before marker" is
   * harmless and common in camera files; warnings about metadata (such as TwelveMonkeys' notes on a
   * CMYK file without a profile, or on a profile it ignores) are not damage to the pixels either.
   */
  static boolean damaged(String warning) {
    return warning != null && !warning.contains("extraneous bytes") && DAMAGE.matcher(warning).matches();
  }

  private static ImageReader reader(ImageInputStream in, ImageFormat format) throws DecodeException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new DecodeException(Reasons.UNSUPPORTED_FORMAT, "no reader on this JVM for " + format.id());
    }
    return readers.next();
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m != null ? ": " + m : "");
  }
}

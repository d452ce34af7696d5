package org.pdm.preprocess;

import java.io.Serializable;
import org.pdm.preprocess.decode.DecodeException;
import org.pdm.preprocess.decode.ImageDecoder;
import org.pdm.preprocess.geometry.Geometry;
import org.pdm.preprocess.geometry.Resampler;
import org.pdm.preprocess.image.RgbImage;
import org.pdm.preprocess.natives.NativeCodecs;
import org.pdm.preprocess.quality.Measures;

/**
 * One raw image in, one {@link Outcome} out: probe the header (size rules and the bomb cap before any
 * decoding), decode the crop region upright in sRGB, shrink (libturbojpeg's DCT scaling or an exact
 * block average, then the filter),
 * measure, filter, encode. Knows nothing of Spark; built once per task and called per image. Never
 * throws for a bad image: every failure is an outcome with its reason.
 */
public final class ImageProcessor {
  private final PreprocessConfig config;
  private final ImageDecoder decoder;
  /** Nanoseconds spent in decode (with colour conversion and block reduction), resample, measures, encode. */
  private final long[] phaseNanos = new long[4];

  public ImageProcessor(PreprocessConfig config) {
    this.config = config;
    NativeCodecs codecs = NativeCodecs.forMode(config.nativeMode());
    this.decoder = new ImageDecoder(config.maxPixels(), codecs.jpeg(), codecs.deflate());
  }

  /**
   * What happened to one image. A kept image has {@code reason == null} and its encoded output; a
   * rejected one has a reason, details, and whatever was learnt before the rejection.
   */
  public record Outcome(String id, String reason, String details, byte[] image, int width, int height,
      int originalWidth, int originalHeight, int[] cropBox, int orientation, String sourceFormat, String sourceProfile,
      Double sharpness, Long phash, double millis) implements Serializable {
    public boolean kept() {
      return reason == null;
    }
  }

  public Outcome process(String id, byte[] bytes) {
    long start = System.nanoTime();
    if (bytes == null) {
      return reject(id, Reasons.UNREADABLE, "the file could not be read", null, start);
    }
    if (bytes.length == 0) {
      return reject(id, Reasons.EMPTY_FILE, "0 bytes", null, start);
    }
    ImageDecoder.Probe probe;
    try {
      probe = decoder.probe(bytes);
    } catch (DecodeException e) {
      return reject(id, e.reason(), e.getMessage(), null, start);
    }
    Geometry g = config.geometry();
    Geometry.Plan plan = g.plan(probe.width(), probe.height());
    if (plan.rejected()) {
      return reject(id, plan.reason(), plan.details(), probe, start);
    }
    try {
      long t0 = System.nanoTime();
      Prepared prepared = prepare(bytes, probe, plan);
      long t2 = System.nanoTime();
      RgbImage out = prepared.out();
      ImageDecoder.Decoded decoded = prepared.decoded();
      var f = config.filters();
      Measures m = Measures.of(out, f.measureSize(), f.borderTolerance());
      long t3 = System.nanoTime();
      phaseNanos[0] += prepared.decodeNanos();
      phaseNanos[1] += t2 - t0 - prepared.decodeNanos();
      phaseNanos[2] += t3 - t2;
      String[] rejected = judge(m);
      int[] box = prepared.box();
      if (rejected != null) {
        return new Outcome(id, rejected[0], rejected[1], null, out.width(), out.height(), probe.width(), probe.height(),
            box, probe.orientation(), probe.format().id(), decoded.profile(), m.sharpness(), m.phash(), ms(start));
      }
      byte[] encoded = config.encoder().encode(out);
      phaseNanos[3] += System.nanoTime() - t3;
      return new Outcome(id, null, null, encoded, out.width(), out.height(), probe.width(),
          probe.height(), box, probe.orientation(), probe.format().id(), decoded.profile(), m.sharpness(), m.phash(),
          ms(start));
    } catch (DecodeException e) {
      return reject(id, e.reason(), e.getMessage(), probe, start);
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      return reject(id, Reasons.DECODE_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), probe, start);
    }
  }

  /**
   * Time spent so far in each phase of kept and filtered images, in nanoseconds: decode (header
   * excluded; colour conversion, orientation and block reduction included), resample, measures,
   * encode. For the benchmark's breakdown; a copy.
   */
  public long[] phaseNanos() {
    return phaseNanos.clone();
  }

  /**
   * The pixels that {@link #process} would encode for a kept image, or null when it is rejected
   * (the benchmark's format comparison encodes the same pictures several ways).
   */
  public RgbImage output(byte[] bytes) throws Exception {
    ImageDecoder.Probe probe = decoder.probe(bytes);
    Geometry.Plan plan = config.geometry().plan(probe.width(), probe.height());
    return plan.rejected() ? null : prepare(bytes, probe, plan).out();
  }

  /**
   * The output pixels of a kept plan, the decoded region they came from and the crop box used, and
   * the nanoseconds spent decoding (the rest of the call is resampling).
   */
  private record Prepared(RgbImage out, ImageDecoder.Decoded decoded, int[] box, long decodeNanos) {}

  /**
   * Decodes the plan's crop and resizes it to the output. With the Lanczos filter a JPEG goes to
   * libturbojpeg when it is in use: decoded at the DCT scale 1/d that keeps the crop at least
   * reduce-gap times the output size (Pillow's draft mode), the crop box exact (the resampler takes
   * its fractional edges). Otherwise (the area filter, other formats, no libturbojpeg, or a file it
   * leaves to the JDK), the crop is decoded at full size and reduced by
   * an exact k x k block average (the pixel-domain counterpart of the DCT scaling), the crop trimmed
   * to a multiple of k (at most k - 1 pixels, split as the crop's margins are) so that there are no
   * partial blocks: the crop box reported is the one used.
   */
  private Prepared prepare(byte[] bytes, ImageDecoder.Probe probe, Geometry.Plan plan) throws DecodeException {
    Geometry g = config.geometry();
    long t0 = System.nanoTime();
    int k = reduction(plan.w(), plan.h(), g.width(), g.height());
    int[] trimmed = {plan.x() + (plan.w() % k) / 2, plan.y() + (plan.h() % k) / 2, plan.w() - plan.w() % k,
        plan.h() - plan.h() % k};
    int[] box = trimmed;
    ImageDecoder.Decoded decoded;
    if (config.filter() == Resampler.Filter.AREA) {
      // area promises exact area averages (OpenCV's INTER_AREA): libturbojpeg decodes at full size, the
      // block average and the box filter do the rest, as on the JDK path.
      decoded = decoder.decodeNative(bytes, probe, box[0], box[1], box[2], box[3], Double.MAX_VALUE, Double.MAX_VALUE,
          k);
    } else {
      double gap = config.reduceGap();
      box = new int[] {plan.x(), plan.y(), plan.w(), plan.h()};
      decoded = decoder.decodeNative(bytes, probe, box[0], box[1], box[2], box[3],
          gap > 0 ? gap * g.width() : Double.MAX_VALUE, gap > 0 ? gap * g.height() : Double.MAX_VALUE);
    }
    if (decoded == null) {
      box = trimmed;
      decoded = decoder.decode(bytes, probe, box[0], box[1], box[2], box[3], 1, k);
    }
    long t1 = System.nanoTime();
    double[] r = decoded.region();
    RgbImage out = Resampler.resize(decoded.image(), g.width(), g.height(), config.filter(), r[0], r[1], r[2], r[3]);
    return new Prepared(out, decoded, box, t1 - t0);
  }

  /** JPEGs decoded by libturbojpeg so far (0 with {@code native = off} or without the library). */
  public long nativeJpegDecodes() {
    return decoder.nativeDecodes();
  }

  /** PNGs inflated by libdeflate so far. */
  public long nativePngDecodes() {
    return decoder.nativePngDecodes();
  }

  /** JPEGs libturbojpeg left to the JDK path so far, by reason. */
  public java.util.Map<String, Long> nativeJpegFallbacks() {
    return decoder.nativeFallbacks();
  }

  /**
   * The block size k of 8, 4, 2 (the largest leaving at least reduce-gap times the output size in
   * both directions), or 1 when reduce-gap is 0 or no k fits.
   */
  int reduction(int w, int h, int outW, int outH) {
    double gap = config.reduceGap();
    if (gap > 0) {
      for (int k : new int[] {8, 4, 2}) {
        if (w / k >= gap * outW && h / k >= gap * outH) {
          return k;
        }
      }
    }
    return 1;
  }

  /** The first filter that rejects, as {reason, details}, or null. */
  String[] judge(Measures m) {
    var f = config.filters();
    if (f.minLumaStd() > 0 && m.lumaStd() < f.minLumaStd()) {
      return new String[] {Reasons.NEAR_CONSTANT, String.format("luma standard deviation %.2f < %.2f", m.lumaStd(), f.minLumaStd())};
    }
    if (f.minChroma() > 0 && m.chroma() < f.minChroma()) {
      return new String[] {Reasons.GREYSCALE, String.format("mean chroma %.2f < %.2f", m.chroma(), f.minChroma())};
    }
    if (f.maxBorder() > 0 && m.borderFraction() > f.maxBorder()) {
      return new String[] {Reasons.BORDER, String.format("uniform band on the %s: %.0f%% of the side > %.0f%%", m.borderSide(),
          100 * m.borderFraction(), 100 * f.maxBorder())};
    }
    if (f.minSharpness() > 0 && m.sharpness() < f.minSharpness()) {
      return new String[] {Reasons.BLURRY, String.format("Laplacian variance %.2f < %.2f", m.sharpness(), f.minSharpness())};
    }
    return null;
  }

  private Outcome reject(String id, String reason, String details, ImageDecoder.Probe p, long start) {
    return new Outcome(id, reason, details, null, 0, 0, p != null ? p.width() : 0, p != null ? p.height() : 0, null,
        p != null ? p.orientation() : 0, p != null ? p.format().id() : null, null, null, null, ms(start));
  }

  private static double ms(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * A small upright thumbnail of any decodable image (for the contact sheet), or null. Large images
   * are decoded with subsampling (fast, aliased: fine for a thumbnail, never used for outputs).
   */
  public RgbImage thumbnail(byte[] bytes, int size) {
    try {
      ImageDecoder.Probe p = decoder.probe(bytes);
      int sub = Math.max(1, Math.min(p.width(), p.height()) / (2 * size));
      ImageDecoder.Decoded d = decoder.decode(bytes, p, 0, 0, p.width(), p.height(), sub);
      return Measures.shrink(d.image(), size);
    } catch (Exception | OutOfMemoryError e) {
      return null;
    }
  }
}

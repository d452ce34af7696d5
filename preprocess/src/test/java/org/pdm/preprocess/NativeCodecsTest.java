package org.pdm.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdm.core.config.PdmConfig;
import org.pdm.preprocess.decode.DecodeException;
import org.pdm.preprocess.decode.ImageDecoder;
import org.pdm.preprocess.decode.PixelConverter;
import org.pdm.preprocess.encode.PngEncoder;
import org.pdm.preprocess.image.RgbImage;
import org.pdm.preprocess.natives.NativeCodecs;

/**
 * The native codecs (libdeflate, libturbojpeg) against the JDK path. Each test that needs a library
 * is skipped, saying which package to install, when the library does not load here.
 */
class NativeCodecsTest {
  private static final NativeCodecs AUTO = NativeCodecs.forMode("auto");
  private static final String[] NO_FILTERS = {"preprocess.filters.min-sharpness=0", "preprocess.filters.min-chroma=0",
      "preprocess.filters.min-luma-std=0", "preprocess.filters.max-border=0", "preprocess.output.format=png"};

  private static void assumeDeflate() {
    assumeTrue(AUTO.deflate() != null, "libdeflate not loaded (apt-get install libdeflate0): " + AUTO.deflateStatus());
  }

  private static void assumeJpeg() {
    assumeTrue(AUTO.jpeg() != null, "libturbojpeg not loaded (apt-get install libturbojpeg0): " + AUTO.jpegStatus());
  }

  private static ImageProcessor processor(String... overrides) {
    String[] all = Arrays.copyOf(NO_FILTERS, NO_FILTERS.length + overrides.length);
    System.arraycopy(overrides, 0, all, NO_FILTERS.length, overrides.length);
    return new ImageProcessor(PreprocessConfig.from(PdmConfig.defaults().with(all)));
  }

  private static RgbImage png(byte[] png) throws Exception {
    return PixelConverter.toRgb(ImageIO.read(new ByteArrayInputStream(png)));
  }

  private static RgbImage rgb(BufferedImage img) {
    return PixelConverter.toRgb(img);
  }

  /** Peak signal-to-noise ratio over the three channels, dB. */
  static double psnr(RgbImage a, RgbImage b) {
    assertEquals(a.width(), b.width());
    assertEquals(a.height(), b.height());
    double se = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      for (int s = 0; s <= 16; s += 8) {
        int d = ((a.pixels()[i] >> s) & 255) - ((b.pixels()[i] >> s) & 255);
        se += d * d;
      }
    }
    double mse = se / (3.0 * a.pixels().length);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6, 9, 12})
  void libdeflatePngHoldsExactlyTheInputPixels(int level) throws Exception {
    assumeDeflate();
    RgbImage img = rgb(TestImages.photoLike(301, 77, level));
    byte[] nativePng = PngEncoder.encode(img, level, AUTO.deflate());
    assertArrayEquals(img.pixels(), png(nativePng).pixels(), "the JDK's PNG reader gets the pixels back");
    if (level <= 9) {
      // Not the JDK's zlib: the same pixels in other bytes.
      assertFalse(Arrays.equals(PngEncoder.encode(img, level), nativePng));
    }
  }

  @Test
  void pngDecodedWithLibdeflateEqualsTheJdkReader() throws Exception {
    assumeDeflate();
    ImageDecoder jdk = new ImageDecoder(100_000_000);
    ImageDecoder fast = new ImageDecoder(100_000_000, null, AUTO.deflate());
    // Our encoder's adaptive filters use all five filter types on this picture; the JDK writer's RGBA
    // has alpha to composite (half transparent), a region decode skips rows and columns.
    BufferedImage argb = TestImages.photoLike(97, 45, 3);
    for (int y = 0; y < 45; y++) {
      for (int x = 0; x < 97; x++) {
        argb.setRGB(x, y, argb.getRGB(x, y) & 0xFFFFFF | ((x * 5 + y) & 255) << 24);
      }
    }
    BufferedImage withAlpha = new BufferedImage(97, 45, BufferedImage.TYPE_INT_ARGB);
    withAlpha.setRGB(0, 0, 97, 45, argb.getRGB(0, 0, 97, 45, null, 0, 97), 0, 97);
    List<byte[]> pngs = List.of(PngEncoder.encode(rgb(TestImages.photoLike(97, 45, 5)), 6),
        TestImages.write(withAlpha, "png"));
    for (byte[] p : pngs) {
      ImageDecoder.Probe probe = jdk.probe(p);
      assertArrayEquals(jdk.decode(p, probe).image().pixels(), fast.decode(p, probe).image().pixels());
      assertArrayEquals(jdk.decode(p, probe, 5, 7, 60, 20, 1, 2).image().pixels(),
          fast.decode(p, probe, 5, 7, 60, 20, 1, 2).image().pixels());
    }
    assertEquals(4, fast.nativePngDecodes());
    // A truncated PNG is left to the JDK's reader, whose error becomes the reject.
    byte[] cut = Arrays.copyOf(pngs.get(0), pngs.get(0).length / 2);
    DecodeException e = org.junit.jupiter.api.Assertions.assertThrows(DecodeException.class,
        () -> fast.decode(cut, fast.probe(cut)));
    assertEquals(Reasons.DECODE_ERROR, e.reason());
    assertEquals(4, fast.nativePngDecodes());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void jpegAtFullScaleMatchesTheJdkDecode(boolean progressive) throws Exception {
    assumeJpeg();
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(203, 117, 4), 0.9f, progressive);
    ImageDecoder jdk = new ImageDecoder(100_000_000);
    ImageDecoder turbo = new ImageDecoder(100_000_000, AUTO.jpeg(), null);
    ImageDecoder.Probe p = jdk.probe(jpeg);
    RgbImage expected = jdk.decode(jpeg, p).image();
    ImageDecoder.Decoded d = turbo.decodeNative(jpeg, p, 0, 0, 203, 117, Double.MAX_VALUE, Double.MAX_VALUE);
    assertNotNull(d);
    assertArrayEquals(new double[] {0, 0, 203, 117}, d.region());
    double diff = meanAbsDiff(expected, d.image());
    assertTrue(diff < 1.0, "mean difference to the JDK's libjpeg " + diff);
    assertEquals(1, turbo.nativeDecodes());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void scaledJpegThroughTheProcessorMatchesTheJdkPathInEveryOrientation(int orientation) throws Exception {
    assumeJpeg();
    // 1200x700 stored; scapes-like custom output 256x128 so that the DCT scale is 1/4 (crop >= 4 x output).
    BufferedImage stored = TestImages.photoLike(orientation >= 5 ? 700 : 1200, orientation >= 5 ? 1200 : 700, 9);
    byte[] jpeg = TestImages.jpegWithOrientation(TestImages.jpeg(stored, 0.92f, false), orientation);
    String[] custom = {"preprocess.preset=custom", "preprocess.custom.size=\"256x128\"",
        "preprocess.custom.min-size=\"256x128\""};
    ImageProcessor auto = processor(custom);
    ImageProcessor off = processor(append(custom, "preprocess.native=off"));
    ImageProcessor.Outcome a = auto.process("a", jpeg);
    ImageProcessor.Outcome o = off.process("o", jpeg);
    assertTrue(a.kept() && o.kept(), a.details() + " / " + o.details());
    assertEquals(1, auto.nativeJpegDecodes(), "libturbojpeg decoded it");
    assertEquals(0, off.nativeJpegDecodes(), "native = off: the JDK");
    double db = psnr(png(o.image()), png(a.image()));
    // A mirrored or shifted crop would be far below this (the picture has gradients across it).
    assertTrue(db > 38, "PSNR native vs JDK path " + db + " dB, orientation " + orientation);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6})
  void areaFilterDecodesAtFullScaleWithTheJdkPathsBlockAverage(int orientation) throws Exception {
    assumeJpeg();
    // area promises exact area means: full-size decode, block average fused into reading libturbojpeg's
    // output (k = 4 here), the same pixels as the JDK path when both decoders agree (they do at 1/1).
    BufferedImage stored = TestImages.photoLike(orientation >= 5 ? 700 : 1203, orientation >= 5 ? 1203 : 700, 8);
    byte[] jpeg = TestImages.jpegWithOrientation(TestImages.jpeg(stored, 0.92f, false), orientation);
    String[] custom = {"preprocess.preset=custom", "preprocess.custom.size=\"256x128\"",
        "preprocess.custom.min-size=\"256x128\"", "preprocess.filter=area"};
    ImageProcessor auto = processor(custom);
    ImageProcessor.Outcome a = auto.process("a", jpeg);
    ImageProcessor.Outcome o = processor(append(custom, "preprocess.native=off")).process("o", jpeg);
    assertEquals(1, auto.nativeJpegDecodes());
    assertArrayEquals(o.cropBox(), a.cropBox());
    assertArrayEquals(png(o.image()).pixels(), png(a.image()).pixels());
  }

  @Test
  void cmykJpegsAreLeftToTheJdk() throws Exception {
    assumeJpeg();
    byte[] cmyk = TestImages.cmykJpeg(TestImages.quadrants(64, 32));
    ImageDecoder turbo = new ImageDecoder(100_000_000, AUTO.jpeg(), null);
    ImageDecoder.Probe p = turbo.probe(cmyk);
    assertNull(turbo.decodeNative(cmyk, p, 0, 0, 64, 32, 1, 1));
    assertEquals(java.util.Map.of("CMYK or YCCK", 1L), turbo.nativeFallbacks());
  }

  @Test
  void offIsThePureJdkPath() throws Exception {
    NativeCodecs off = NativeCodecs.forMode("off");
    assertNull(off.jpeg());
    assertNull(off.deflate());
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(640, 400, 2), 0.9f, false);
    ImageProcessor p = processor("preprocess.preset=custom", "preprocess.custom.size=\"160x100\"",
        "preprocess.custom.min-size=\"160x100\"", "preprocess.native=off");
    ImageProcessor.Outcome o = p.process("x", jpeg);
    assertTrue(o.kept());
    assertEquals(0, p.nativeJpegDecodes());
    // The PNG is the JDK zlib's, byte for byte.
    assertArrayEquals(PngEncoder.encode(png(o.image()), 6), o.image());
  }

  /**
   * The scaled path against Pillow's (draft mode + Lanczos over the crop box, the bench's Pillow
   * side) through the whole processor. Skipped without /usr/bin/python3 and Pillow.
   */
  @Test
  void scaledJpegMatchesPillowDraftAndLanczos(@TempDir Path dir) throws Exception {
    assumeJpeg();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(1600, 900, 6), 0.92f, false);
    Path in = dir.resolve("in.jpg");
    Path ref = dir.resolve("ref.png");
    Files.write(in, jpeg);
    String script = String.join("\n",
        "import sys", "from PIL import Image", "W, H = 400, 200",
        "im = Image.open(sys.argv[1]); im.draft('RGB', (W, H)); im = im.convert('RGB')",
        "w, h = im.size; s = max(W / w, H / h); cw, ch = W / s, H / s",
        "im.resize((W, H), Image.LANCZOS, box=((w - cw) / 2, (h - ch) / 2, (w + cw) / 2, (h + ch) / 2)).save(sys.argv[2])");
    Process py = new ProcessBuilder("/usr/bin/python3", "-c", script, in.toString(), ref.toString())
        .redirectErrorStream(true).start();
    String out = new String(py.getInputStream().readAllBytes());
    assumeTrue(py.waitFor() == 0, "Pillow did not run (apt-get install python3-pil): " + out);
    RgbImage pillow = png(Files.readAllBytes(ref));
    String[] custom = {"preprocess.preset=custom", "preprocess.custom.size=\"400x200\"",
        "preprocess.custom.min-size=\"400x200\""};
    ImageProcessor auto = processor(custom);
    double nativeDb = psnr(pillow, png(auto.process("a", jpeg).image()));
    double jdkDb = psnr(pillow, png(processor(append(custom, "preprocess.native=off")).process("o", jpeg).image()));
    assertEquals(1, auto.nativeJpegDecodes());
    assertTrue(nativeDb > 50, "PSNR to Pillow: native " + nativeDb + " dB (JDK path " + jdkDb + " dB)");
  }

  private static double meanAbsDiff(RgbImage a, RgbImage b) {
    double sum = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      for (int s = 0; s <= 16; s += 8) {
        sum += Math.abs(((a.pixels()[i] >> s) & 255) - ((b.pixels()[i] >> s) & 255));
      }
    }
    return sum / (3.0 * a.pixels().length);
  }

  private static String[] append(String[] a, String b) {
    String[] all = Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }
}

package org.pdm.preprocess.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdm.preprocess.TestIcc;
import org.pdm.preprocess.TestImages;
import org.pdm.preprocess.image.RgbImage;

class ImageDecoderTest {
  private static final int RED = 0xD02020;
  private static final int GREEN = 0x20B040;
  private static final int BLUE = 0x2040D0;
  private static final int YELLOW = 0xE0C030;

  private final ImageDecoder decoder = new ImageDecoder(100_000_000);

  private RgbImage decode(byte[] bytes) throws DecodeException {
    return decoder.decode(bytes, decoder.probe(bytes)).image();
  }

  /** Quadrant centres of a 64x32 picture within {@code tol} levels of the painted colours. */
  private static void assertQuadrants(RgbImage img, int tol) {
    assertEquals(64, img.width());
    assertEquals(32, img.height());
    assertClose(RED, img.rgb(8, 8), tol);
    assertClose(GREEN, img.rgb(56, 8), tol);
    assertClose(BLUE, img.rgb(8, 24), tol);
    assertClose(YELLOW, img.rgb(56, 24), tol);
  }

  static void assertClose(int expected, int actual, int tol) {
    for (int s = 0; s <= 16; s += 8) {
      int e = (expected >> s) & 255;
      int a = (actual >> s) & 255;
      assertTrue(Math.abs(e - a) <= tol, String.format("expected #%06X, got #%06X (tolerance %d)", expected, actual, tol));
    }
  }

  @Test
  void decodesBaselineAndProgressiveJpeg() throws Exception {
    BufferedImage q = TestImages.quadrants(64, 32);
    assertQuadrants(decode(TestImages.jpeg(q, 0.95f, false)), 6);
    byte[] progressive = TestImages.jpeg(q, 0.95f, true);
    assertEquals(ImageFormat.JPEG, decoder.probe(progressive).format());
    assertQuadrants(decode(progressive), 6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp", "gif", "tiff"})
  void decodesLosslessFormatsExactly(String format) throws Exception {
    byte[] bytes = TestImages.write(TestImages.quadrants(64, 32), format);
    assertEquals(format, decoder.probe(bytes).format().id());
    assertQuadrants(decode(bytes), format.equals("gif") ? 0 : 0);
  }

  @Test
  void decodesWebp() throws Exception {
    assertQuadrants(decode(fixture("quadrants-lossless.webp")), 0);
    assertQuadrants(decode(fixture("quadrants-lossy.webp")), 12);
  }

  @Test
  void decodesCmykJpeg() throws Exception {
    byte[] cmyk = TestImages.cmykJpeg(TestImages.quadrants(64, 32));
    ImageDecoder.Probe p = decoder.probe(cmyk);
    assertEquals(4, p.components());
    ImageDecoder.Decoded d = decoder.decode(cmyk, p);
    assertTrue(d.profile().startsWith("CMYK"), d.profile());
    // Without a profile a CMYK file has no exact colours: it must at least not come out inverted or
    // channel-swapped.
    assertQuadrants(d.image(), 40);
  }

  @Test
  void decodesYcckJpeg() throws Exception {
    byte[] ycck = TestImages.ycckJpeg(TestImages.quadrants(64, 32));
    ImageDecoder.Decoded d = decoder.decode(ycck, decoder.probe(ycck));
    assertTrue(d.profile().startsWith("CMYK"), d.profile());
    assertQuadrants(d.image(), 40);
  }

  @Test
  void decodesGifFirstFrameAndPaletteTransparencyOnWhite() throws Exception {
    for (String format : new String[] {"gif", "png"}) {
      RgbImage img = decode(TestImages.write(TestImages.palette(40, 10), format));
      assertEquals(0xFFFFFF, img.rgb(2, 5), format + ": transparent palette entry must be white");
      assertEquals(0xC81E1E, img.rgb(12, 5), format);
    }
  }

  @Test
  void takesTheFirstFrameOfAnAnimatedGif() throws Exception {
    RgbImage img = decode(TestImages.animatedGif(16, 8, 0xFF0000, 0x0000FF, 0x00FF00));
    assertEquals(16, img.width());
    assertEquals(0xFF0000, img.rgb(8, 4));
  }

  @Test
  void compositesAlphaOnWhite() throws Exception {
    RgbImage img = decode(TestImages.write(TestImages.halfTransparent(20, 10), "png"));
    assertEquals(0xFFFFFF, img.rgb(2, 5));
    assertEquals(0xFF0000, img.rgb(15, 5));
    // 50% red over white is (255, 128, 128), rounded.
    RgbImage half = decode(TestImages.write(TestImages.rgb16(4, 4, true, (x, y) -> 0x80FF0000), "png"));
    assertClose(0xFF7F7F, half.rgb(1, 1), 1);
  }

  @Test
  void reduces16BitPngByRounding() throws Exception {
    // Samples v * 257 are exact 8-bit values; the decoder must give v back, not v - 1 (truncation
    // of v * 257 / 256) nor a clipped value.
    BufferedImage img16 = TestImages.rgb16(256, 2, false, (x, y) -> x << 16 | (255 - x) << 8 | (x * 7 & 255));
    RgbImage img = decode(TestImages.write(img16, "png"));
    for (int x = 0; x < 256; x++) {
      assertEquals(x << 16 | (255 - x) << 8 | (x * 7 & 255), img.rgb(x, 1), "x=" + x);
    }
  }

  @Test
  void decodesGreyPngAsNeutralGrey() throws Exception {
    RgbImage img = decode(TestImages.write(TestImages.grey(256, 2), "png"));
    for (int x = 0; x < 256; x += 17) {
      assertEquals(x << 16 | x << 8 | x, img.rgb(x, 0));
    }
  }

  @Test
  void convertsDisplayP3ToSrgb() throws Exception {
    BufferedImage srgb = TestImages.photoLike(96, 64, 7);
    BufferedImage p3 = TestImages.toProfile(srgb, TestIcc.displayP3());
    RgbImage reference = decode(TestImages.write(srgb, "png"));
    // The P3 pixels read as if sRGB are visibly off (a duller picture) ...
    assertTrue(meanAbsDiff(reference, decode(TestImages.write(p3, "png"))) > 4);
    // ... and with their profile they come back to the sRGB picture, for PNG (converted here) and
    // JPEG (converted by the reader).
    ImageDecoder.Decoded png = decodeFull(TestImages.pngWithIcc(TestImages.write(p3, "png"), TestIcc.displayP3()));
    assertTrue(png.profile().contains("Display P3") && png.profile().endsWith("-> sRGB"), png.profile());
    assertTrue(meanAbsDiff(reference, png.image()) < 1.0, "png mean diff " + meanAbsDiff(reference, png.image()));
    RgbImage jpegRef = decode(TestImages.jpeg(srgb, 0.95f, false));
    ImageDecoder.Decoded jpeg = decodeFull(TestImages.jpegWithIcc(TestImages.jpeg(p3, 0.95f, false), TestIcc.displayP3()));
    assertTrue(jpeg.profile().contains("Display P3"), jpeg.profile());
    assertTrue(meanAbsDiff(jpegRef, jpeg.image()) < 2.0, "jpeg mean diff " + meanAbsDiff(jpegRef, jpeg.image()));
  }

  @Test
  void convertsAdobeRgbToSrgb() throws Exception {
    BufferedImage srgb = TestImages.photoLike(64, 48, 3);
    BufferedImage adobe = TestImages.toProfile(srgb, TestIcc.adobeRgb());
    RgbImage reference = decode(TestImages.write(srgb, "png"));
    RgbImage converted = decode(TestImages.pngWithIcc(TestImages.write(adobe, "png"), TestIcc.adobeRgb()));
    assertTrue(meanAbsDiff(reference, converted) < 1.0);
  }

  @Test
  void leavesAnEmbeddedSrgbProfileAlone() throws Exception {
    byte[] icc = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData();
    byte[] png = TestImages.pngWithIcc(TestImages.write(TestImages.quadrants(64, 32), "png"), icc);
    ImageDecoder.Decoded d = decodeFull(png);
    assertTrue(!d.profile().endsWith("-> sRGB"), d.profile());
    assertQuadrants(d.image(), 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void appliesExifOrientation(int orientation) throws Exception {
    // The upright picture: 48x32, red square at the top left, green at the top right, grey elsewhere.
    // Stored as a camera would store it for each orientation (where the two squares end up is
    // written out per case, independently of the decoder's mapping).
    boolean swap = orientation >= 5;
    int sw = swap ? 32 : 48;
    int sh = swap ? 48 : 32;
    String[] corners = switch (orientation) {
      case 1 -> new String[] {"TL", "TR"};
      case 2 -> new String[] {"TR", "TL"}; // mirrored left-right
      case 3 -> new String[] {"BR", "BL"}; // turned 180
      case 4 -> new String[] {"BL", "BR"}; // mirrored top-bottom
      case 5 -> new String[] {"TL", "BL"}; // transposed
      case 6 -> new String[] {"BL", "TL"}; // needs 90 clockwise: stored turned 90 counter-clockwise
      case 7 -> new String[] {"BR", "TR"}; // transversed
      default -> new String[] {"TR", "BR"}; // 8: needs 90 counter-clockwise
    };
    BufferedImage stored = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        stored.setRGB(x, y, 0x808080);
      }
    }
    paintCorner(stored, corners[0], 0xFF0000);
    paintCorner(stored, corners[1], 0x00FF00);
    byte[] jpeg = TestImages.jpegWithOrientation(TestImages.jpeg(stored, 0.98f, false), orientation);
    ImageDecoder.Probe p = decoder.probe(jpeg);
    assertEquals(orientation, p.orientation());
    assertEquals(48, p.width());
    assertEquals(32, p.height());
    RgbImage upright = decoder.decode(jpeg, p).image();
    assertEquals(48, upright.width());
    assertClose(0xFF0000, upright.rgb(3, 3), 30);
    assertClose(0x00FF00, upright.rgb(44, 3), 30);
    assertClose(0x808080, upright.rgb(3, 28), 30);
    assertClose(0x808080, upright.rgb(44, 28), 30);
  }

  private static void paintCorner(BufferedImage img, String corner, int rgb) {
    int x0 = corner.charAt(1) == 'L' ? 0 : img.getWidth() - 8;
    int y0 = corner.charAt(0) == 'T' ? 0 : img.getHeight() - 8;
    for (int y = y0; y < y0 + 8; y++) {
      for (int x = x0; x < x0 + 8; x++) {
        img.setRGB(x, y, rgb);
      }
    }
  }

  @Test
  void decodesOnlyTheRequestedRegionUpright() throws Exception {
    byte[] png = TestImages.write(TestImages.quadrants(64, 32), "png");
    ImageDecoder.Probe p = decoder.probe(png);
    RgbImage right = decoder.decode(png, p, 32, 0, 32, 32, 1).image();
    assertEquals(32, right.width());
    assertEquals(GREEN, right.rgb(4, 4));
    assertEquals(YELLOW, right.rgb(4, 28));
  }

  @Test
  void aProfileTheColourManagementCannotUseIsIgnoredNotAReject() throws Exception {
    // A P3 profile whose rTRC tag is renamed: it parses (ICC_Profile.getInstance), but LittleCMS cannot
    // build a transform from it. The picture is taken as sRGB, as when a profile cannot be read.
    byte[] icc = TestIcc.displayP3();
    icc[new String(icc, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("rTRC")] = 'x';
    BufferedImage img = TestImages.photoLike(96, 64, 7);
    byte[] png = TestImages.write(img, "png");
    byte[] jpeg = TestImages.jpeg(img, 0.95f, false);
    for (byte[][] pair : new byte[][][] {{png, TestImages.pngWithIcc(png, icc)}, {jpeg, TestImages.jpegWithIcc(jpeg, icc)}}) {
      ImageDecoder.Decoded d = decodeFull(pair[1]);
      assertTrue(d.profile().endsWith("(sRGB assumed)"), d.profile());
      assertTrue(meanAbsDiff(decode(pair[0]), d.image()) < 0.01, "pixels as without the profile");
    }
  }

  @Test
  void rejectsTruncatedFiles() throws Exception {
    BufferedImage img = TestImages.photoLike(128, 96, 1);
    for (byte[] whole : new byte[][] {TestImages.jpeg(img, 0.9f, false), TestImages.jpeg(img, 0.9f, true),
        TestImages.write(img, "png"), TestImages.write(img, "bmp"),
        TestImages.write(img, "gif"), TestImages.write(img, "tiff")}) {
      byte[] cut = Arrays.copyOf(whole, whole.length * 2 / 3);
      DecodeException e = assertThrows(DecodeException.class, () -> decode(cut));
      assertEquals("decode-error", e.reason());
      // A region, as the processor decodes a crop (the JDK's BMP reader reads a region row by row
      // and returns the missing rows black, without an error).
      DecodeException r = assertThrows(DecodeException.class,
          () -> decoder.decode(cut, decoder.probe(cut), 16, 0, 96, 96, 1));
      assertEquals("decode-error", r.reason());
    }
  }

  @Test
  void rejectsDecompressionBombFromTheHeader() throws Exception {
    byte[] bomb = TestImages.pngBombHeader(100_000, 100_000);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      DecodeException e = assertThrows(DecodeException.class, () -> decoder.probe(bomb));
      assertEquals("too-large", e.reason());
      assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
      // A JPEG whose start-of-frame claims 60000x60000 (JPEG's limit is 65535 a side).
      byte[] jpeg = TestImages.jpeg(TestImages.quadrants(16, 16), 0.9f, false);
      for (int i = 2; i + 9 < jpeg.length; i++) {
        if ((jpeg[i] & 255) == 0xFF && (jpeg[i + 1] & 255) == 0xC0) {
          jpeg[i + 5] = (byte) (60000 >> 8);
          jpeg[i + 6] = (byte) 60000;
          jpeg[i + 7] = (byte) (60000 >> 8);
          jpeg[i + 8] = (byte) 60000;
          break;
        }
      }
      byte[] jpegBomb = jpeg;
      assertEquals("too-large", assertThrows(DecodeException.class, () -> decoder.probe(jpegBomb)).reason());
    });
  }

  @Test
  void rejectsUnknownFormats() {
    DecodeException e = assertThrows(DecodeException.class, () -> decoder.probe("hello, world".getBytes()));
    assertEquals("unsupported-format", e.reason());
    assertEquals("unsupported-format", assertThrows(DecodeException.class, () -> decoder.probe(new byte[0])).reason());
  }

  private ImageDecoder.Decoded decodeFull(byte[] bytes) throws DecodeException {
    return decoder.decode(bytes, decoder.probe(bytes));
  }

  static double meanAbsDiff(RgbImage a, RgbImage b) {
    double sum = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      for (int s = 0; s <= 16; s += 8) {
        sum += Math.abs(((a.pixels()[i] >> s) & 255) - ((b.pixels()[i] >> s) & 255));
      }
    }
    return sum / (3.0 * a.pixels().length);
  }

  private static byte[] fixture(String name) throws Exception {
    try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/fixtures/" + name)) {
      return in.readAllBytes();
    }
  }
}

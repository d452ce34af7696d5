package org.pdm.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.pdm.core.config.PdmConfig;
import org.pdm.preprocess.decode.PixelConverter;
import org.pdm.preprocess.image.RgbImage;

class ImageProcessorTest {
  private static final String[] NO_FILTERS = {"preprocess.filters.min-sharpness=0", "preprocess.filters.min-chroma=0",
      "preprocess.filters.min-luma-std=0", "preprocess.filters.max-border=0"};

  private static ImageProcessor processor(String... overrides) {
    return new ImageProcessor(PreprocessConfig.from(PdmConfig.defaults().with(overrides)));
  }

  private static ImageProcessor unfiltered(String... overrides) {
    String[] all = java.util.Arrays.copyOf(overrides, overrides.length + NO_FILTERS.length);
    System.arraycopy(NO_FILTERS, 0, all, overrides.length, NO_FILTERS.length);
    return processor(all);
  }

  private static RgbImage output(ImageProcessor.Outcome o) throws Exception {
    assertTrue(o.kept(), o.reason() + ": " + o.details());
    byte[] b = o.image();
    // Whatever the configured format: PNG and JPEG by their magic bytes, otherwise raw pixels.
    String format = (b[0] & 255) == 0x89 && b[1] == 'P' ? "png" : (b[0] & 255) == 0xFF && (b[1] & 255) == 0xD8 ? "jpeg" : "raw";
    byte[] hwc = org.pdm.core.schema.DatasetImages.rgb(b, format, o.width(), o.height());
    int[] px = new int[o.width() * o.height()];
    for (int i = 0; i < px.length; i++) {
      px[i] = (hwc[3 * i] & 255) << 16 | (hwc[3 * i + 1] & 255) << 8 | (hwc[3 * i + 2] & 255);
    }
    return new RgbImage(o.width(), o.height(), px);
  }

  /** A uniform background with a 4x4 white marker centred on the (cropped) picture's centre. */
  private static BufferedImage marker(int w, int h, int cx, int cy) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean m = x >= cx - 2 && x < cx + 2 && y >= cy - 2 && y < cy + 2;
        img.setRGB(x, y, m ? 0xFFFFFF : 0x204060);
      }
    }
    return img;
  }

  @Test
  void aCentredMarkerLandsExactlyInTheCentre() throws Exception {
    // 128x72 to 64x32: covered at scale 1/2, crop 128x64 with 4 rows off at each end. The marker at
    // (62..65, 34..37) is the crop's centre; area halving puts it at exactly (31..32, 15..16).
    ImageProcessor p = unfiltered("preprocess.preset=custom", "preprocess.custom.size=\"64x32\"",
        "preprocess.custom.min-size=\"64x32\"", "preprocess.filter=area", "preprocess.reduce-gap=0");
    ImageProcessor.Outcome o = p.process("m", TestImages.write(marker(128, 72, 64, 36), "png"));
    assertArrayEquals(new int[] {0, 4, 128, 64}, o.cropBox());
    RgbImage out = output(o);
    assertEquals(64, out.width());
    assertEquals(32, out.height());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        boolean m = x >= 31 && x <= 32 && y >= 15 && y <= 16;
        assertEquals(m ? 0xFFFFFF : 0x204060, out.rgb(x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void lanczosWithBlockReductionKeepsTheMarkerCentredAndSymmetric() throws Exception {
    // 512x288 to 64x32: crop 512x256 (16 rows off each end), reduced 4x4 by blocks (gap 1), then Lanczos.
    ImageProcessor p = unfiltered("preprocess.preset=custom", "preprocess.custom.size=\"64x32\"",
        "preprocess.custom.min-size=\"64x32\"", "preprocess.filter=lanczos", "preprocess.reduce-gap=1.0");
    BufferedImage img = new BufferedImage(512, 288, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 288; y++) {
      for (int x = 0; x < 512; x++) {
        boolean m = x >= 248 && x < 264 && y >= 136 && y < 152; // 16x16 at the centre
        img.setRGB(x, y, m ? 0xFFFFFF : 0x000000);
      }
    }
    RgbImage out = output(p.process("m", TestImages.write(img, "png")));
    // The marker covers output pixels 31..32 x 15..16 exactly; the picture is mirror-symmetric.
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        assertEquals(out.rgb(x, y) & 255, out.rgb(63 - x, y) & 255, "left-right symmetry at " + x + "," + y);
        assertEquals(out.rgb(x, y) & 255, out.rgb(x, 31 - y) & 255, "top-bottom symmetry at " + x + "," + y);
      }
    }
    assertTrue((out.rgb(31, 15) & 255) > 200);
    assertTrue((out.rgb(28, 12) & 255) < 10);
  }

  @Test
  void blockReductionTrimsTheCropToWholeBlocksAndReportsIt() throws Exception {
    // 260x130 to 64x32: the crop is the whole image; 4x4 blocks fit (65x32 >= 64x32), so the 130 rows
    // are trimmed to 128, one row off at each end; the box says so.
    ImageProcessor p = unfiltered("preprocess.preset=custom", "preprocess.custom.size=\"64x32\"",
        "preprocess.custom.min-size=\"64x32\"", "preprocess.reduce-gap=1.0");
    ImageProcessor.Outcome o = p.process("t", TestImages.write(TestImages.photoLike(260, 130, 2), "png"));
    assertArrayEquals(new int[] {0, 1, 260, 128}, o.cropBox());
    assertEquals(64, output(o).width());
  }

  @Test
  void aPortraitStoredSidewaysIsAPortrait() throws Exception {
    // Stored 3200x2400 (a landscape, large enough for scapes2k) with EXIF 6: seen 2400x3200, a
    // portrait, which scapes2k refuses.
    BufferedImage stored = new BufferedImage(3200, 2400, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = stored.createGraphics();
    g.setColor(java.awt.Color.ORANGE);
    g.fillRect(100, 100, 1000, 800);
    g.dispose();
    byte[] jpeg = TestImages.jpegWithOrientation(TestImages.jpeg(stored, 0.8f, false), 6);
    ImageProcessor.Outcome o = processor().process("sideways", jpeg);
    assertEquals("wrong-orientation", o.reason());
    assertEquals(2400, o.originalWidth());
    assertEquals(3200, o.originalHeight());
    assertEquals(6, o.orientation());
  }

  @Test
  void rejectsAreOutcomesNotExceptions() throws Exception {
    ImageProcessor p = processor("preprocess.preset=lsun-256");
    assertEquals("too-large", p.process("bomb", TestImages.pngBombHeader(60_000, 60_000)).reason());
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(300, 300, 2), 0.9f, false);
    ImageProcessor.Outcome cut = p.process("cut", java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    assertEquals("decode-error", cut.reason());
    assertNull(cut.image());
    assertEquals("unsupported-format", p.process("txt", "not an image".getBytes()).reason());
    assertEquals("too-small", p.process("small", TestImages.write(TestImages.photoLike(200, 300, 3), "png")).reason());
    assertEquals(Reasons.EMPTY_FILE, p.process("empty", new byte[0]).reason());
    assertEquals(Reasons.UNREADABLE, p.process("unread", null).reason());
  }

  @Test
  void qualityFiltersRejectWithTheirReasons() throws Exception {
    ImageProcessor p = processor("preprocess.preset=lsun-256");
    BufferedImage flat = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
    assertEquals("near-constant", p.process("flat", TestImages.write(flat, "png")).reason());
    assertEquals("greyscale", p.process("grey", TestImages.write(greyNoise(300, 300), "png")).reason());
    BufferedImage framed = TestImages.photoLike(300, 300, 4);
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 300; x++) {
        framed.setRGB(x, y, 0);
      }
    }
    ImageProcessor.Outcome b = p.process("framed", TestImages.write(framed, "png"));
    assertEquals("border", b.reason());
    assertTrue(b.details().contains("top"), b.details());
    BufferedImage smooth = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 300; x++) {
        smooth.setRGB(x, y, (x * 255 / 299) << 16 | (y * 255 / 299) << 8 | 128);
      }
    }
    ImageProcessor.Outcome blurry = p.process("smooth", TestImages.write(smooth, "png"));
    assertEquals("blurry", blurry.reason());
    assertNotNull(blurry.sharpness());
    ImageProcessor.Outcome ok = p.process("photo", TestImages.write(TestImages.photoLike(300, 300, 5), "png"));
    assertTrue(ok.kept(), ok.reason() + " " + ok.details());
    assertEquals(256, ok.width());
  }

  private static BufferedImage greyNoise(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random r = new java.util.Random(1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = r.nextInt(256);
        img.setRGB(x, y, v << 16 | v << 8 | v);
      }
    }
    return img;
  }

  @Test
  void jpegOutputWhenAsked() throws Exception {
    ImageProcessor p = processor("preprocess.preset=lsun-256", "preprocess.output.format=jpeg");
    ImageProcessor.Outcome o = p.process("j", TestImages.write(TestImages.photoLike(300, 400, 6), "png"));
    assertEquals(0xFF, o.image()[0] & 0xFF);
    assertEquals(0xD8, o.image()[1] & 0xFF);
  }
}

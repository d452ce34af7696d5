package org.pdm.preprocess.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.pdm.core.schema.DatasetImages;
import org.pdm.preprocess.TestImages;
import org.pdm.preprocess.decode.PixelConverter;
import org.pdm.preprocess.image.RgbImage;

class OutputEncoderTest {
  private static RgbImage picture() {
    return PixelConverter.toRgb(TestImages.photoLike(67, 31, 5)); // odd sizes: no stride luck
  }

  @Test
  void rawBytesArePixelsInHwcRgbOrder() throws Exception {
    RgbImage img = picture();
    byte[] raw = new OutputEncoder("raw", 6, 0.95f).encode(img);
    assertEquals(67 * 31 * 3, raw.length);
    int p = img.rgb(66, 30);
    int o = (30 * 67 + 66) * 3;
    assertArrayEquals(new byte[] {(byte) (p >> 16), (byte) (p >> 8), (byte) p}, java.util.Arrays.copyOfRange(raw, o, o + 3));
  }

  @Test
  void rawAndEveryPngLevelHoldTheSamePixels() throws Exception {
    RgbImage img = picture();
    byte[] raw = new OutputEncoder("raw", 6, 0.95f).encode(img);
    for (int level : new int[] {0, 1, 6, 9}) {
      byte[] png = new OutputEncoder("png", level, 0.95f).encode(img);
      assertArrayEquals(raw, DatasetImages.rgb(png, "png", 67, 31), "png level " + level + " through DatasetImages");
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(png)); // the JDK's own PNG reader agrees
      assertArrayEquals(img.pixels(), PixelConverter.toRgb(back).pixels(), "level " + level);
    }
    assertArrayEquals(raw, DatasetImages.rgb(raw, "raw", 67, 31));
  }
}

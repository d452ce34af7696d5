package org.pdm.core.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DatasetImagesTest {
  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static BufferedImage pattern(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 40) << 16 | (y * 50) << 8 | (x + y) * 7);
      }
    }
    return img;
  }

  @Test
  void pngBytesInArePixelsOut() throws IOException {
    BufferedImage img = pattern(3, 2);
    byte[] hwc = DatasetImages.rgb(png(img), "png", 3, 2);
    assertEquals(3 * 2 * 3, hwc.length);
    int p = img.getRGB(2, 1); // (y=1, x=2): HWC offset (1*3 + 2)*3
    assertArrayEquals(new byte[] {(byte) (p >> 16), (byte) (p >> 8), (byte) p}, java.util.Arrays.copyOfRange(hwc, 15, 18));
  }

  @Test
  void unitFloatsAreChannelFirstInMinusOneToOne() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xff0000);
    img.setRGB(1, 0, 0x00ff80);
    float[] chw = DatasetImages.chwUnit(png(img), "png", 2, 1);
    // R plane, G plane, B plane
    assertArrayEquals(new float[] {1f, -1f, -1f, 1f, -1f, 128 / 127.5f - 1f}, chw, 1e-6f);
  }

  @Test
  void refusesBytesThatAreNoPictureOrTheWrongSize() throws IOException {
    var e = assertThrows(DatasetImages.BadImageException.class,
        () -> DatasetImages.rgb(new byte[] {1, 2, 3}, "png", 2, 2));
    assertTrue(e.getMessage().contains("png"), e.getMessage());
    var wrong = assertThrows(DatasetImages.BadImageException.class,
        () -> DatasetImages.rgb(png(pattern(3, 2)), "png", 4, 4));
    assertTrue(wrong.getMessage().contains("3x2"), wrong.getMessage());
    assertThrows(DatasetImages.BadImageException.class, () -> DatasetImages.rgb(new byte[0], "png", 1, 1));
  }

  @Test
  void rawBytesInArePixelsOut() throws IOException {
    byte[] hwc = new byte[5 * 3 * 3];
    new java.util.Random(7).nextBytes(hwc);
    byte[] back = DatasetImages.rgb(hwc, DatasetSchema.RAW, 5, 3);
    assertArrayEquals(hwc, back);
    back[0]++;
    assertEquals((byte) (back[0] - 1), hwc[0], "rgb returns a copy: the row's bytes stay as they were");
  }

  @Test
  void rawUnitFloatsMatchThePngPath() throws IOException {
    BufferedImage img = pattern(4, 3);
    byte[] hwc = DatasetImages.rgb(png(img), "png", 4, 3);
    float[] fromPng = DatasetImages.chwUnit(png(img), "png", 4, 3);
    float[] fromRaw = DatasetImages.chwUnit(hwc, DatasetSchema.RAW, 4, 3);
    assertArrayEquals(fromPng, fromRaw, 0f);
    // (c=1, y=2, x=3) is HWC byte (2*4 + 3)*3 + 1
    assertEquals((hwc[(2 * 4 + 3) * 3 + 1] & 0xff) / 127.5f - 1f, fromRaw[12 + 2 * 4 + 3], 0f);
  }

  @Test
  void refusesRawBytesOfAnotherShape() {
    var e = assertThrows(DatasetImages.BadImageException.class,
        () -> DatasetImages.rgb(new byte[10], DatasetSchema.RAW, 2, 2));
    assertTrue(e.getMessage().contains("10 bytes") && e.getMessage().contains("2x2"), e.getMessage());
    assertThrows(DatasetImages.BadImageException.class, () -> DatasetImages.chwUnit(new byte[12], DatasetSchema.RAW, 2, 1));
    assertThrows(DatasetImages.BadImageException.class, () -> DatasetImages.rgb(new byte[0], DatasetSchema.RAW, 0, 0));
  }

  @Test
  void theSchemaSaysHowToReshapeRawPixels() {
    var meta = DatasetSchema.DATASET.apply("image").metadata();
    assertEquals("(height, width, 3)", meta.getString("raw_shape"));
    assertTrue(meta.getString("comment").contains("HWC"));
    assertTrue(DatasetSchema.DATASET.apply("format").getComment().get().contains("raw"));
  }
}

package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageGridTest {
  @Test
  void chwInMinusOneToOneBecomesRgbBytes() {
    // One 1x2 image: pixel 0 = (-1, 0, 1), pixel 1 = (2, -3, 0.5) (clamped).
    float[] chw = {-1, 2, 0, -3, 1, 0.5f};
    BufferedImage img = ImageGrid.fromChw(chw, 1, 1, 2).get(0);
    assertEquals((0 << 16) | (128 << 8) | 255, img.getRGB(0, 0) & 0xffffff);
    assertEquals((255 << 16) | (0 << 8) | 191, img.getRGB(1, 0) & 0xffffff);
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.fromChw(chw, 2, 1, 2));
  }

  @Test
  void rgbBytesAndGridsKeepPixels() {
    byte[] hwc = {(byte) 200, 10, 20, 30, 40, (byte) 250};
    BufferedImage img = ImageGrid.fromRgb(hwc, 2, 1);
    assertEquals((200 << 16) | (10 << 8) | 20, img.getRGB(0, 0) & 0xffffff);
    BufferedImage grid = ImageGrid.grid(List.of(img, img, img), List.of("a", "b", "c"), 2, 3);
    // 2 columns of max(6, 48) px, 2 rows of 3 px + a caption, 4 px padding around.
    assertEquals(2 * (48 + 4) + 4, grid.getWidth());
    assertEquals(2 * (3 + 14 + 4) + 4, grid.getHeight());
    // Scaled by 3 with nearest neighbour: the first tile's pixel (1, 0) covers x 7..9 of row 4..6.
    assertEquals((30 << 16) | (40 << 8) | 250, grid.getRGB(4 + 3 + 2, 4 + 2) & 0xffffff);
  }

  @Test
  void chartsRenderAtTheirSize() {
    BufferedImage bars = Charts.bars("t", "n", Map.of("too-small", 3, "blurry", 1));
    assertEquals(Charts.WIDTH, bars.getWidth());
    BufferedImage hist = Charts.histogram("t", "v", Map.of("c0", new double[] {0, 1, 1, 2}), 4);
    assertEquals(Charts.HEIGHT, hist.getHeight());
  }
}

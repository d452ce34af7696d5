package org.pdm.preprocess.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.pdm.preprocess.TestImages;
import org.pdm.preprocess.geometry.Resampler;

class PixelConverterTest {
  @Test
  void fusedReductionEqualsConvertingThenReducing() {
    BufferedImage photo = TestImages.photoLike(103, 61, 4); // odd sizes: partial blocks at the edges
    BufferedImage bgr = new BufferedImage(103, 61, BufferedImage.TYPE_3BYTE_BGR);
    bgr.getGraphics().drawImage(photo, 0, 0, null);
    BufferedImage grey = TestImages.grey(103, 61);
    for (BufferedImage img : new BufferedImage[] {bgr, grey}) {
      for (int k : new int[] {2, 4, 8}) {
        assertArrayEquals(Resampler.reduce(PixelConverter.toRgb(img), k).pixels(),
            PixelConverter.toRgbReduced(img, k).pixels(), "k=" + k + " type " + img.getType());
      }
    }
  }
}

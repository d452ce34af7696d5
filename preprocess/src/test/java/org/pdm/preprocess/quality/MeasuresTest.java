package org.pdm.preprocess.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdm.preprocess.TestImages;
import org.pdm.preprocess.decode.PixelConverter;
import org.pdm.preprocess.geometry.Resampler;
import org.pdm.preprocess.image.RgbImage;

class MeasuresTest {
  private static RgbImage photo(int w, int h, long seed) {
    return PixelConverter.toRgb(TestImages.photoLike(w, h, seed));
  }

  @Test
  void perceptualHashFindsResizedCopiesAndSeparatesOtherPictures() {
    long a = PerceptualHash.of(photo(400, 300, 11));
    long resized = PerceptualHash.of(Resampler.resize(photo(400, 300, 11), 173, 130, Resampler.Filter.LANCZOS));
    long other = PerceptualHash.of(photo(400, 300, 12));
    assertTrue(PerceptualHash.distance(a, resized) <= 4, "copy: " + PerceptualHash.distance(a, resized));
    assertTrue(PerceptualHash.distance(a, other) >= 16, "other: " + PerceptualHash.distance(a, other));
    assertEquals(0, PerceptualHash.distance(a, a));
  }

  @Test
  void blurLowersSharpness() {
    RgbImage sharp = photo(256, 256, 3);
    RgbImage blurred = Resampler.resize(Resampler.resize(sharp, 32, 32, Resampler.Filter.AREA), 256, 256,
        Resampler.Filter.LANCZOS);
    double s = Measures.of(sharp, 512, 6).sharpness();
    double b = Measures.of(blurred, 512, 6).sharpness();
    assertTrue(s > 10 * b, "sharp " + s + " vs blurred " + b);
  }

  @Test
  void bordersAreNearBlackOrNearWhiteBandsOnly() {
    RgbImage img = photo(200, 100, 5);
    int[] px = img.pixels().clone();
    for (int i = 0; i < 200 * 20; i++) {
      px[i] = 0xFFFFFF; // 20 white rows at the top
    }
    Borders.Band band = Borders.widest(new RgbImage(200, 100, px), 6);
    assertEquals("top", band.side());
    assertEquals(0.2, band.fraction(), 1e-9);
    for (int i = 0; i < 200 * 20; i++) {
      px[i] = 0x3366AA; // a flat blue sky is not a border
    }
    assertEquals(0.0, Borders.widest(new RgbImage(200, 100, px), 6).fraction());
  }

  @Test
  void greyAndFlatPicturesMeasureAsSuch() {
    int[] flat = new int[64 * 64];
    java.util.Arrays.fill(flat, 0x808080);
    Measures m = Measures.of(new RgbImage(64, 64, flat), 512, 6);
    assertEquals(0.0, m.lumaStd(), 1e-9);
    assertEquals(0.0, m.chroma(), 1e-9);
    assertTrue(Measures.of(photo(64, 64, 1), 512, 6).chroma() > 20);
  }
}

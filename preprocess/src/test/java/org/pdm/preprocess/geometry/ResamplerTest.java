package org.pdm.preprocess.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdm.preprocess.image.RgbImage;

class ResamplerTest {
  private static RgbImage checkerboard(int w, int h) {
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = ((x + y) & 1) == 0 ? 0xFFFFFF : 0x000000;
      }
    }
    return new RgbImage(w, h, px);
  }

  @Test
  void areaHalvingIsTheExactMeanOfEachBlock() {
    int[] px = {0x000000, 0x020406, 0x0A0A0A, 0x141414,
                0x040404, 0x060606, 0x1E1E1E, 0x282828};
    RgbImage out = Resampler.resize(new RgbImage(4, 2, px), 2, 1, Resampler.Filter.AREA);
    // (0 + 2 + 4 + 6) / 4 = 3 for red; (0 + 4 + 4 + 6) / 4 = 3.5 -> 4 for green; (0 + 6 + 4 + 6) / 4 = 4
    assertEquals(0x030404, out.rgb(0, 0));
    assertEquals(0x191919, out.rgb(1, 0));
  }

  @ParameterizedTest
  @EnumSource(Resampler.Filter.class)
  void shrinkingAFinePatternGivesGreyNotAliases(Resampler.Filter filter) {
    // A one-pixel checkerboard shrunk 3.3 times: point sampling would give black and white moiré;
    // an antialiasing filter gives mid grey everywhere.
    RgbImage out = Resampler.resize(checkerboard(330, 330), 100, 100, filter);
    for (int p : out.pixels()) {
      int v = p & 255;
      assertTrue(Math.abs(v - 127.5) < 25, filter + " gave " + v);
    }
  }

  @ParameterizedTest
  @EnumSource(Resampler.Filter.class)
  void aFlatImageStaysExactlyFlat(Resampler.Filter filter) {
    int[] px = new int[97 * 61];
    java.util.Arrays.fill(px, 0x336699);
    RgbImage out = Resampler.resize(new RgbImage(97, 61, px), 40, 23, filter);
    for (int p : out.pixels()) {
      assertEquals(0x336699, p);
    }
  }

  @Test
  void reduceAveragesExactBlocksIncludingPartialEdges() {
    int[] px = new int[5 * 2];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i * 10) << 16;
    }
    RgbImage out = Resampler.reduce(new RgbImage(5, 2, px), 2);
    assertEquals(3, out.width());
    assertEquals(1, out.height());
    assertEquals(((0 + 10 + 50 + 60 + 2) / 4) << 16, out.rgb(0, 0));
    assertEquals(((40 + 90 + 1) / 2) << 16, out.rgb(2, 0)); // a 1x2 block at the right edge
  }

  @Test
  void resizeOverAFractionalExtentMatchesTheUnreducedResult() {
    // Reducing by 2 then resizing over the exact extent must land where a direct resize lands.
    int w = 301;
    int h = 151;
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = (x * 255 / (w - 1)) << 16 | (y * 255 / (h - 1)) << 8;
      }
    }
    RgbImage src = new RgbImage(w, h, px);
    RgbImage direct = Resampler.resize(src, 100, 50, Resampler.Filter.AREA);
    RgbImage reduced = Resampler.resize(Resampler.reduce(src, 2), 100, 50, Resampler.Filter.AREA, w / 2.0, h / 2.0);
    for (int i = 0; i < direct.pixels().length; i++) {
      for (int s = 8; s <= 16; s += 8) {
        int d = ((direct.pixels()[i] >> s) & 255) - ((reduced.pixels()[i] >> s) & 255);
        assertTrue(Math.abs(d) <= 2, "pixel " + i + " differs by " + d);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Resampler.Filter.class)
  void anOffsetBoxResizesAsTheCroppedImage(Resampler.Filter filter) {
    // The box (7, 3, 40, 20) of a larger picture gives what the same pixels cropped give, except at the
    // box's edges, where the offset version also sees the neighbours outside (as Pillow's box does):
    // compared where Lanczos-3's support (7.5 source pixels at this 2.5x shrink) stays inside.
    int[] px = new int[60 * 30];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i * 2654435761L % 255 > 127 ? 0xC08040 : 0x2050A0) ^ (i % 7);
    }
    RgbImage src = new RgbImage(60, 30, px);
    RgbImage boxed = Resampler.resize(src, 16, 8, filter, 7, 3, 40, 20);
    RgbImage cropped = Resampler.resize(src.crop(7, 3, 40, 20), 16, 8, filter);
    for (int y = 3; y <= 4; y++) {
      for (int x = 3; x <= 12; x++) {
        assertEquals(cropped.rgb(x, y), boxed.rgb(x, y), "at " + x + "," + y);
      }
    }
  }
}

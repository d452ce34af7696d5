package org.pdm.preprocess.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeometryTest {
  private static void assertBox(Geometry.Plan p, int x, int y, int w, int h) {
    assertFalse(p.rejected(), p.details());
    assertEquals(x + "," + y + " " + w + "x" + h, p.x() + "," + p.y() + " " + p.w() + "x" + p.h());
  }

  @Test
  void scapes2kCoversTheOutputAndCropsTheCentre() {
    Geometry g = Geometry.preset("scapes2k");
    assertBox(g.plan(2048, 1024), 0, 0, 2048, 1024);
    assertBox(g.plan(4096, 2100), 0, 26, 4096, 2048); // too tall: 52 rows off, 26 at each end
    assertBox(g.plan(5120, 2000), 560, 0, 4000, 2000); // too wide: 1120 columns off
    assertBox(g.plan(5120, 2880), 0, 160, 5120, 2560);
  }

  @Test
  void scapes2kKeepsOnlyLargeLandscapes() {
    Geometry g = Geometry.preset("scapes2k");
    assertEquals("too-small", g.plan(2047, 1024).reason());
    assertEquals("too-small", g.plan(3000, 1023).reason());
    assertEquals("wrong-orientation", g.plan(2048, 2048).reason()); // width > height is required
    assertEquals("wrong-orientation", g.plan(2048, 3000).reason()); // big enough, but a portrait
  }

  @Test
  void people2kCropsTheLongSideToTheShortOne() {
    Geometry g = Geometry.preset("people2k");
    assertBox(g.plan(3200, 2400), 400, 0, 2400, 2400); // the paper's example
    assertBox(g.plan(2400, 3200), 0, 400, 2400, 2400);
    assertEquals("too-small", g.plan(2047, 4000).reason());
  }

  @Test
  void oddMarginsLeaveTheExtraPixelAtTheRightAndBottom() {
    Geometry g = new Geometry("t", 64, 32, 1, 1, Geometry.Shape.ANY, Geometry.Crop.CENTER, false);
    assertBox(g.plan(128, 73), 0, 4, 128, 64); // 9 rows off: 4 above, 5 below
    assertBox(g.plan(129, 64), 0, 0, 128, 64); // 1 column off: at the right
  }

  @Test
  void refusesToUpscaleUnlessAllowed() {
    Geometry no = new Geometry("t", 256, 256, 1, 1, Geometry.Shape.ANY, Geometry.Crop.CENTER, false);
    assertEquals("too-small", no.plan(300, 200).reason());
    Geometry yes = new Geometry("t", 256, 256, 1, 1, Geometry.Shape.ANY, Geometry.Crop.CENTER, true);
    assertBox(yes.plan(300, 200), 50, 0, 200, 200);
  }

  @Test
  void cropNoneKeepsTheWholeImage() {
    Geometry g = new Geometry("t", 64, 64, 1, 1, Geometry.Shape.ANY, Geometry.Crop.NONE, false);
    assertBox(g.plan(100, 80), 0, 0, 100, 80);
    assertTrue(Geometry.preset("custom") == null);
  }
}

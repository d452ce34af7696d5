package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against Pillow 9.4's Image.fromarray(x, mode='F').resize((299, 299), Image.BICUBIC). */
class CleanResizeTest {
  @Test
  void matchesPillowBicubicOnFloat32() throws IOException {
    Map<String, Npz.Array> f = Fixtures.npz("pillow-resize.npz");
    for (int c = 0; f.containsKey("in" + c); c++) {
      Npz.Array in = f.get("in" + c);
      int h;
      int w;
      float[] x;
      if (in.shape().length == 1) { // a big case stored as its formula: (7 y + 13 x) % 256
        h = (int) in.data()[0];
        w = (int) in.data()[1];
        x = new float[h * w];
        for (int y = 0; y < h; y++) {
          for (int i = 0; i < w; i++) {
            x[y * w + i] = (7 * y + 13 * i) % 256;
          }
        }
      } else {
        h = (int) in.shape()[0];
        w = (int) in.shape()[1];
        x = new float[h * w];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) in.data()[i];
        }
      }
      float[] got = CleanResize.resize(x, w, h, 299, 299);
      Npz.Array want = f.get("out" + c); // every 7th row and column
      int cols = (int) want.shape()[1];
      double worst = 0;
      for (int i = 0; i < want.shape()[0]; i++) {
        for (int j = 0; j < cols; j++) {
          worst = Math.max(worst, Math.abs(got[(7 * i) * 299 + 7 * j] - want.data()[i * cols + j]));
        }
      }
      assertEquals(0.0, worst, 1e-4, "case " + c + " (" + h + "x" + w + "): largest difference from Pillow");
    }
  }

  @Test
  void keepsAPictureOfTheTargetSizeAsItIs() {
    float[] x = new float[299 * 299];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i * 31) % 256;
    }
    float[] y = CleanResize.resize(x, 299, 299, 299, 299);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i], y[i], 0f);
    }
  }
}

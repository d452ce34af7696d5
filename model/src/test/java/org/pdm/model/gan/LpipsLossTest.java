package org.pdm.model.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Tensors;

/**
 * The TorchScript stand-in made by {@code model/src/test/python/lpips_standin.py} (Debian's torch
 * 1.13), loaded through DJL: distances and the gradient of their mean w.r.t. x equal torch's.
 */
class LpipsLossTest {
  static final Path DIR = Path.of("src", "test", "resources", "lpips");

  /** The script's inputs: x = sin(0.37 i), y = 0.8 cos(0.23 i), row-major over (B, 3, H, W). */
  static float[][] inputs(int n) {
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) Math.sin(0.37 * i);
      y[i] = (float) (0.8 * Math.cos(0.23 * i));
    }
    return new float[][] {x, y};
  }

  static double[] expected(String key) throws IOException {
    List<String> lines = Files.readAllLines(DIR.resolve("lpips_standin_expected.txt"));
    for (String l : lines) {
      if (l.startsWith(key + " ")) {
        return Arrays.stream(l.substring(key.length() + 1).split(" "))
            .mapToDouble(Double::parseDouble).toArray();
      }
    }
    throw new IllegalStateException("no " + key);
  }

  @Test
  void distancesAndGradientsEqualTorchs() throws IOException {
    Shape shape = new Shape(2, 3, 16, 16);
    float[][] in = inputs((int) shape.size());
    double[] dist = expected("distance");
    double[] grad = expected("grad_mean_x");
    try (LpipsLoss lpips = LpipsLoss.load(DIR.resolve("lpips_standin.pt"), Device.cpu());
        NDManager m = TestSupport.cpuManager()) {
      NDArray x = Tensors.create(m, in[0], shape);
      NDArray y = Tensors.create(m, in[1], shape);
      x.setRequiresGradient(true);
      float[] d;
      try (Autograd g = Autograd.record()) {
        NDArray dd = lpips.distance(x, y);
        d = dd.toFloatArray();
        Autograd.backward(dd.mean());
      }
      assertEquals(2, d.length);
      for (int i = 0; i < 2; i++) {
        assertEquals(dist[i], d[i], 1e-5 * Math.abs(dist[i]), "distance " + i);
      }
      float[] gx = Autograd.grad(x).toFloatArray();
      double maxAbs = Arrays.stream(grad).map(Math::abs).max().orElseThrow();
      assertTrue(maxAbs > 1e-4, "the fixture's gradient is not trivially zero");
      for (int i = 0; i < gx.length; i++) {
        assertEquals(grad[i], gx[i], 1e-4 * maxAbs, "d mean / d x[" + i + "]");
      }
    }
  }

  @Test
  void missingFileNamesTheFileAndTheWayOut() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LpipsLoss.load(Path.of("no-such-lpips.pt"), Device.cpu()));
    assertTrue(e.getMessage().contains("no-such-lpips.pt"), e.getMessage());
    assertTrue(e.getMessage().contains("perceptual weight to 0"), e.getMessage());
  }
}

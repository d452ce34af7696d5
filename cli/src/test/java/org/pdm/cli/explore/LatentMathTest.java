package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.core.schema.LatentSchema;

class LatentMathTest {
  /** One level of one channel, 1x2: rows at (0,0), (1,0), (0,3), (5,5). */
  private static LatentTable table() {
    var layout = new LatentSchema.Layout(List.of(new LatentSchema.Level(1, 1, 2)), LatentSchema.Dtype.FLOAT32,
        false, "ckpt", "hash", 4, 4);
    List<float[][]> rows = List.of(new float[][] {{0, 0}}, new float[][] {{1, 0}}, new float[][] {{0, 3}},
        new float[][] {{5, 5}});
    return new LatentTable(layout, List.of("a", "b", "c", "d"), rows);
  }

  @Test
  void lerpIsLinearInEveryLevel() {
    float[][] a = {{0, 2}, {-4}};
    float[][] b = {{4, 2}, {4}};
    assertArrayEquals(a[0], LatentMath.lerp(a, b, 0)[0]);
    assertArrayEquals(b[1], LatentMath.lerp(a, b, 1)[1]);
    assertArrayEquals(new float[] {1, 2}, LatentMath.lerp(a, b, 0.25)[0]);
    assertArrayEquals(new float[] {0}, LatentMath.lerp(a, b, 0.5)[1]);
    assertThrows(IllegalArgumentException.class, () -> LatentMath.lerp(a, new float[][] {{1}, {1}}, 0.5));
  }

  @Test
  void nearestUsesStandardizedDistancesAndLeavesTheQueryOut() {
    // The one channel's 8 values over the 4 rows: mean 1.75, population std computed below.
    double[] v = {0, 0, 1, 0, 0, 3, 5, 5};
    double mean = 14 / 8.0;
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    double std = Math.sqrt(var / 8);
    var nn = LatentMath.nearest(table(), 0, 2);
    assertEquals(List.of(1, 2), nn.stream().map(LatentMath.Neighbour::row).toList());
    assertEquals(1 / std, nn.get(0).distance(), 1e-6);
    assertEquals(3 / std, nn.get(1).distance(), 1e-6);
    assertEquals(3, LatentMath.nearest(table(), 3, 10).size());
  }

  @Test
  void stackPutsRowsOneAfterAnotherPerLevel() {
    float[][] s = table().batch(1, 3);
    assertArrayEquals(new float[] {1, 0, 5, 5}, s[0]);
    assertArrayEquals(new double[] {0, 0, 1, 0, 0, 3, 5, 5}, table().channelValues(0, 0));
  }
}

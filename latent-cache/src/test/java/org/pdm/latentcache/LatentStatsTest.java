package org.pdm.latentcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdm.core.schema.LatentSchema;

class LatentStatsTest {
  @Test
  void mergedPartsAndAJsonRoundTripEqualOnePass() throws Exception {
    List<LatentSchema.Level> levels = List.of(new LatentSchema.Level(2, 2, 3), new LatentSchema.Level(1, 1, 1));
    Random r = new Random(3);
    LatentStats whole = new LatentStats(levels);
    LatentStats a = new LatentStats(levels);
    LatentStats b = new LatentStats(levels);
    double[] direct = new double[4]; // level 0 channel 1: n, sum, min, max
    direct[2] = Double.POSITIVE_INFINITY;
    direct[3] = Double.NEGATIVE_INFINITY;
    for (int img = 0; img < 10; img++) {
      float[] z0 = new float[12];
      for (int i = 0; i < 12; i++) {
        z0[i] = (float) r.nextGaussian();
      }
      for (int i = 6; i < 12; i++) {
        direct[0]++;
        direct[1] += z0[i];
        direct[2] = Math.min(direct[2], z0[i]);
        direct[3] = Math.max(direct[3], z0[i]);
      }
      float[] z1 = {img};
      whole.add(0, z0);
      whole.add(1, z1);
      (img < 4 ? a : b).add(0, z0);
      (img < 4 ? a : b).add(1, z1);
    }
    ObjectMapper json = new ObjectMapper();
    LatentStats merged = LatentStats.fromJson(json.readTree(a.toJson(json).toString()), levels).merge(b);
    for (LatentStats s : List.of(whole, merged)) {
      assertEquals(60, s.count(0, 1));
      assertEquals(direct[1] / direct[0], s.mean(0, 1), 1e-12);
      assertEquals(direct[2], s.min(0, 1));
      assertEquals(direct[3], s.max(0, 1));
      assertEquals(4.5, s.mean(1, 0), 1e-12);
      assertEquals(Math.sqrt(8.25), s.std(1, 0), 1e-12); // population std of 0..9
    }
    assertEquals(whole.std(0, 0), merged.std(0, 0), 1e-12);
  }
}

package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KID, precision/recall and the stand-in network against values from make_fid_fixtures.py. */
class FeatureMetricsTest {
  @TempDir
  Path tmp;

  @Test
  void kidMatchesCleanFidsKernelDistance() throws IOException {
    Map<String, Npz.Array> f = Fixtures.npz("metrics.npz");
    float[][] real = Fixtures.rows(f.get("real"));
    float[][] fake = Fixtures.rows(f.get("fake"));
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      // Subsets of all 40 rows: every subset is the whole set, so the random draws cannot matter.
      KernelInceptionDistance.Result r = KernelInceptionDistance.of(m, real, fake, 5, 1000, 0);
      assertEquals(40, r.subsetSize());
      assertEquals(f.get("kid").data()[0], r.mean(), 1e-12 * Math.abs(f.get("kid").data()[0]));
      assertEquals(0.0, r.std(), 1e-12);
      KernelInceptionDistance.Result sub = KernelInceptionDistance.of(m, real, fake, 100, 20, 7);
      assertEquals(20, sub.subsetSize());
      assertTrue(sub.std() > 0, "subsets of 20 of 40 differ");
      assertEquals(r.mean(), sub.mean(), 4 * sub.std() / Math.sqrt(100) + 0.05, "an unbiased estimate of one value");
    }
  }

  @Test
  void precisionAndRecallMatchTheReferenceCode() throws IOException {
    Map<String, Npz.Array> f = Fixtures.npz("metrics.npz");
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      PrecisionRecall.Result r = PrecisionRecall.of(m, Fixtures.rows(f.get("real")), Fixtures.rows(f.get("fake")), 3);
      assertEquals(f.get("precision").data()[0], r.precision(), 1e-12);
      assertEquals(f.get("recall").data()[0], r.recall(), 1e-12);
    }
  }

  @Test
  void standInFeaturesMatchPython() throws Exception {
    Map<String, Npz.Array> f = Fixtures.npz("metrics.npz");
    Npz.Array images = f.get("images"); // (3, 3, 45, 37) uint8
    byte[] x = new byte[images.data().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (byte) images.data()[i];
    }
    try (FeatureNetwork net = FeatureNetwork.load(Fixtures.standIn(tmp), Device.cpu())) {
      float[][] got = net.features(x, 3, 45, 37);
      Npz.Array want = f.get("standin_features");
      assertEquals(want.shape()[1], got[0].length);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < got[0].length; j++) {
          assertEquals(want.data()[i * got[0].length + j], got[i][j], 1e-5);
        }
      }
    }
  }
}

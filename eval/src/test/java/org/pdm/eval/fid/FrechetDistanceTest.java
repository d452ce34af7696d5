package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
  @Test
  void distanceOfASetToItselfIsZero() {
    GaussianStats s = randomStats(new Random(1), 64, 500);
    FrechetDistance.Result r = FrechetDistance.of(s, s);
    assertEquals(0.0, r.fid(), 1e-9 * trace(s));
  }

  @Test
  void matchesTheClosedFormOfCommutingCovariances() {
    // S1 = Q D1 Q^T, S2 = Q D2 Q^T: FID = |mu1 - mu2|^2 + sum (sqrt(d1) - sqrt(d2))^2
    int d = 32;
    Random rng = new Random(4);
    double[] q = orthogonal(rng, d);
    double[] d1 = rng.doubles(d, 0.1, 3).toArray();
    double[] d2 = rng.doubles(d, 0.1, 3).toArray();
    double[] mu1 = rng.doubles(d).toArray();
    double[] mu2 = rng.doubles(d).toArray();
    double want = 0;
    for (int i = 0; i < d; i++) {
      want += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]) + Math.pow(Math.sqrt(d1[i]) - Math.sqrt(d2[i]), 2);
    }
    double got = FrechetDistance.of(new GaussianStats(0, mu1, rotate(q, d1, d)),
        new GaussianStats(0, mu2, rotate(q, d2, d))).fid();
    assertEquals(want, got, 1e-10 * want);
  }

  @Test
  void twoGaussianSampleSetsApproachTheClosedForm() {
    // Sets drawn from N(0, I) and N(m, 4 I) in 8-d: FID = |m|^2 + 8 (2 - 1)^2
    int d = 8;
    int n = 20000;
    Random rng = new Random(9);
    double[][] a = new double[n][d];
    double[][] b = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        a[i][j] = rng.nextGaussian();
        b[i][j] = 0.5 + 2 * rng.nextGaussian();
      }
    }
    double want = d * 0.25 + d;
    double got = FrechetDistance.of(new FeatureMoments(d).addAll(a).gaussian(),
        new FeatureMoments(d).addAll(b).gaussian()).fid();
    assertEquals(want, got, 0.05 * want); // sampling error of 20K draws
  }

  @Test
  void agreesWithPytorchFidsScipySqrtm() throws IOException {
    Map<String, Npz.Array> f = Fixtures.npz("metrics.npz");
    GaussianStats real = moments(Fixtures.rows(f.get("real")));
    GaussianStats fake = moments(Fixtures.rows(f.get("fake")));
    double want = f.get("fid").data()[0];
    assertEquals(want, FrechetDistance.of(real, fake).fid(), 1e-8 * want);
  }

  @Test
  void clampsAndReportsRoundOffNegativeEigenvalues() {
    // A rank-1 covariance (fewer samples than dimensions): its zero eigenvalues come out as +-1e-17.
    GaussianStats s = randomStats(new Random(3), 16, 2);
    FrechetDistance.Result r = FrechetDistance.of(s, randomStats(new Random(5), 16, 40));
    assertTrue(r.fid() > 0);
    assertTrue(r.clamped() >= 0 && r.mostNegative() <= 0 && r.mostNegative() > -1e-9, r.toString());
    // A singular S1 has no Cholesky factor: the symmetric square root path. Its zero eigenvalues come
    // back as round-off of about 1e-16 |S|, whose square roots (1e-8 |S|^0.5 each) add up: pytorch-fid
    // has the same floor.
    assertEquals(0.0, FrechetDistance.of(s, s).fid(), 1e-5 * trace(s));
  }

  static GaussianStats moments(float[][] rows) {
    double[][] x = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      x[i] = new double[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        x[i][j] = rows[i][j];
      }
    }
    return new FeatureMoments(x[0].length).addAll(x).gaussian();
  }

  private static GaussianStats randomStats(Random rng, int d, int n) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = Math.abs(rng.nextGaussian()) * (1 + j % 3);
      }
    }
    return new FeatureMoments(d).addAll(x).gaussian();
  }

  private static double trace(GaussianStats s) {
    double t = 0;
    for (int i = 0; i < s.dim(); i++) {
      t += s.sigma()[i * s.dim() + i];
    }
    return t;
  }

  /** A random orthogonal matrix by Gram-Schmidt, row-major. */
  private static double[] orthogonal(Random rng, int d) {
    double[][] v = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        v[i][j] = rng.nextGaussian();
      }
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += v[i][j] * v[k][j];
        }
        for (int j = 0; j < d; j++) {
          v[i][j] -= dot * v[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += v[i][j] * v[i][j];
      }
      for (int j = 0; j < d; j++) {
        v[i][j] /= Math.sqrt(norm);
      }
    }
    double[] q = new double[d * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(v[i], 0, q, i * d, d);
    }
    return q;
  }

  /** Q diag(l) Q^T. */
  private static double[] rotate(double[] q, double[] l, int d) {
    double[] s = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double v = 0;
        for (int k = 0; k < d; k++) {
          v += q[i * d + k] * l[k] * q[j * d + k];
        }
        s[i * d + j] = v;
      }
    }
    return s;
  }
}

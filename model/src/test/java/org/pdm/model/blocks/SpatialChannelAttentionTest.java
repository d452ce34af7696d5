package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Rng;

class SpatialChannelAttentionTest {

  @Test
  void mixWeightsReproduceFigure3() {
    // 16x16x1024: 256 / 1280 and 1024 / 1280
    assertArrayEquals(new double[] {0.2, 0.8}, SpatialChannelAttention.mixWeights(16 * 16, 1024),
        1e-12);
    // 32x32x512: 1024 / 1536 and 512 / 1536
    double[] w = SpatialChannelAttention.mixWeights(32 * 32, 512);
    assertEquals(0.6667, w[0], 5e-5);
    assertEquals(0.3333, w[1], 5e-5);
  }

  @Test
  void keepsTheShapeAndStartsAsIdentityUpToSkipRescale() {
    try (NDManager m = TestSupport.cpuManager()) {
      SpatialChannelAttention a = new SpatialChannelAttention(16, false, false);
      a.initialize(m, 1);
      Shape s = new Shape(2, 16, 4, 3);
      NDArray x = m.create(new Rng(1).normal((int) s.size()), s);
      NDArray y = a.forward(Ctx.eval(m), x);
      assertEquals(s, y.getShape());
      // the output projection is initialised at ~1e-10 scale: the block starts close to identity
      assertEquals(0f, y.sub(x).abs().max().getFloat(), 1e-4f);
    }
  }

  @Test
  void parameterCountIsNormPlusFourOneByOneConvolutions() {
    int c = 16;
    long expected = 2L * c + 4L * (c * c + c);
    assertEquals(expected, new SpatialChannelAttention(c, true, false).numParameters());
  }

  /** 1x1 convolution on host arrays: w (O, I), b (O), x (I, N) -> (O, N). */
  private static double[][] conv1x1(Module conv, double[][] x) {
    float[] w = conv.parameters().get("weight").value().toFloatArray();
    float[] b = conv.parameters().get("bias").value().toFloatArray();
    int o = b.length;
    int in = x.length;
    double[][] y = new double[o][x[0].length];
    for (int r = 0; r < o; r++) {
      for (int n = 0; n < x[0].length; n++) {
        double acc = b[r];
        for (int c = 0; c < in; c++) {
          acc += w[r * in + c] * x[c][n];
        }
        y[r][n] = acc;
      }
    }
    return y;
  }

  /** Row-wise softmax of a (rows x cols) matrix scaled by {@code s}. */
  private static double[][] softmax(double[][] a, double s) {
    double[][] out = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double x : a[i]) {
        max = Math.max(max, x * s);
      }
      double z = 0;
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = Math.exp(a[i][j] * s - max);
        z += out[i][j];
      }
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] /= z;
      }
    }
    return out;
  }

  @Test
  void forwardIsEquationEightWrittenOut() {
    int c = 8;
    int hgt = 3;
    int wid = 2;
    int n = hgt * wid;
    try (NDManager m = TestSupport.cpuManager()) {
      SpatialChannelAttention a = new SpatialChannelAttention(c, true, false);
      a.initialize(m, 2);
      // a non-zero output projection, so that the attention shows in the output
      Param projW = a.children().get("proj").parameters().get("weight");
      projW.set(new Rng(4).normal((int) projW.size()));
      Shape s = new Shape(1, c, hgt, wid);
      float[] xf = new Rng(3).normal((int) s.size());
      float[] y = a.forward(Ctx.eval(m), m.create(xf, s)).toFloatArray();
      double[][] x = new double[c][n];
      for (int i = 0; i < c; i++) {
        for (int j = 0; j < n; j++) {
          x[i][j] = xf[i * n + j];
        }
      }
      // GroupNorm with unit weight and zero bias
      int g = GroupNorm.defaultGroups(c);
      int per = c / g;
      double[][] h = new double[c][n];
      for (int k = 0; k < g; k++) {
        double mean = 0;
        double var = 0;
        for (int i = k * per; i < (k + 1) * per; i++) {
          for (int j = 0; j < n; j++) {
            mean += x[i][j] / (per * n);
          }
        }
        for (int i = k * per; i < (k + 1) * per; i++) {
          for (int j = 0; j < n; j++) {
            var += (x[i][j] - mean) * (x[i][j] - mean) / (per * n);
          }
        }
        for (int i = k * per; i < (k + 1) * per; i++) {
          for (int j = 0; j < n; j++) {
            h[i][j] = (x[i][j] - mean) / Math.sqrt(var + 1e-6);
          }
        }
      }
      double[][] q = conv1x1(a.children().get("q"), h);
      double[][] k = conv1x1(a.children().get("k"), h);
      double[][] v = conv1x1(a.children().get("v"), h);
      // spatial: pixel i attends to pixels j with softmax_j(q[:, i] . k[:, j] / sqrt(C))
      double[][] sp = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          for (int r = 0; r < c; r++) {
            sp[i][j] += q[r][i] * k[r][j];
          }
        }
      }
      sp = softmax(sp, 1 / Math.sqrt(c));
      // channel: channel r attends to channels u with softmax_u(q[r, :] . k[u, :] / sqrt(HW))
      double[][] ch = new double[c][c];
      for (int r = 0; r < c; r++) {
        for (int u = 0; u < c; u++) {
          for (int j = 0; j < n; j++) {
            ch[r][u] += q[r][j] * k[u][j];
          }
        }
      }
      ch = softmax(ch, 1 / Math.sqrt(n));
      double ws = (double) n / (n + c);
      double wc = (double) c / (n + c);
      double[][] mixed = new double[c][n];
      for (int r = 0; r < c; r++) {
        for (int i = 0; i < n; i++) {
          double spatial = 0;
          for (int j = 0; j < n; j++) {
            spatial += sp[i][j] * v[r][j];
          }
          double channel = 0;
          for (int u = 0; u < c; u++) {
            channel += ch[r][u] * v[u][i];
          }
          mixed[r][i] = ws * spatial + wc * channel;
        }
      }
      double[][] out = conv1x1(a.children().get("proj"), mixed);
      for (int r = 0; r < c; r++) {
        for (int i = 0; i < n; i++) {
          double expected = (x[r][i] + out[r][i]) / Math.sqrt(2); // skip_rescale
          assertEquals(expected, y[r * n + i], 1e-4, "output at channel " + r + ", pixel " + i);
        }
      }
    }
  }
}

package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.BiFunction;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.Tensors;

/**
 * The rectified-flow training objective on pyramid latents (paper eq. 7). For data z1 (one array per
 * level, (B, c_i, h_i, w_i)), noise z0 ~ N(0, I) and ONE time t per sample shared by all levels,
 * t ~ U[eps, 1 + eps] clamped to 1 (rectified-flow practice, eps = 1e-3):
 * <pre>  z_t,i = t z1,i + (1 - t) z0,i,   L = sum_i mean || (z1,i - z0,i) - v_i(z_t, t) ||^2</pre>
 * The squared norm of each level is averaged over its elements (F.mse_loss), so levels of different
 * sizes weigh alike; the levels are then summed as in eq. 7.
 */
public final class RectifiedFlow {
  /** Default lower end of the training time range. */
  public static final double EPS = 1e-3;
  private final double eps;

  public RectifiedFlow() {
    this(EPS);
  }

  public RectifiedFlow(double eps) {
    this.eps = eps;
  }

  public double eps() {
    return eps;
  }

  /** Times for a batch: U[eps, 1 + eps] clamped to 1, (B,). */
  public float[] sampleTimes(int batch, Rng rng) {
    float[] t = new float[batch];
    for (int i = 0; i < batch; i++) {
      t[i] = (float) Math.min(1.0, eps + rng.nextDouble());
    }
    return t;
  }

  /**
   * Scalar loss for data {@code z1}, with z0 and t drawn from {@code rng}. {@code model} maps (z_t, t)
   * to the predicted velocities (it may record autograd).
   */
  public NDArray loss(NDList z1, Rng rng, BiFunction<NDList, NDArray, NDList> model) {
    NDManager m = z1.head().getManager();
    int b = Math.toIntExact(z1.head().getShape().get(0));
    NDArray t = Tensors.create(m, sampleTimes(b, rng)).toDevice(z1.head().getDevice(), false); // (B,)
    NDList zt = new NDList();
    NDList target = new NDList();
    for (NDArray x1 : z1) {
      Shape s = x1.getShape();
      NDArray x0 = Tensors.create(m, rng.normal(Math.toIntExact(s.size())), s)
          .toDevice(x1.getDevice(), false);
      Shape bt = new Shape(b, 1, 1, 1).slice(0, s.dimension()); // t broadcast over the level
      NDArray tt = t.reshape(bt);
      zt.add(x1.mul(tt).add(x0.mul(tt.neg().add(1f))));
      target.add(x1.sub(x0));
    }
    NDList v = model.apply(zt, t);
    NDArray loss = null;
    for (int i = 0; i < v.size(); i++) {
      NDArray term = target.get(i).sub(v.get(i)).square().mean();
      loss = loss == null ? term : loss.add(term);
    }
    return loss;
  }
}

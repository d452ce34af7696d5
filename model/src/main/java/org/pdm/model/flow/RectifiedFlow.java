package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
   * The random draws of one loss evaluation: t (B,) and z0 per level (B, c, h, w) row-major.
   * Drawn for a whole global batch and cut with {@link #slice}, they let data-parallel replicas
   * compute exactly the loss of one device on the whole batch.
   */
  public record Draw(float[] t, List<float[]> z0) {
    /** Samples [from, to) of the batch. */
    public Draw slice(int from, int to) {
      int b = t.length;
      List<float[]> z = new ArrayList<>();
      for (float[] level : z0) {
        int per = level.length / b;
        z.add(Arrays.copyOfRange(level, from * per, to * per));
      }
      return new Draw(Arrays.copyOfRange(t, from, to), z);
    }
  }

  /** t then z0 level by level for {@code batch} samples of the per-sample shapes (c, h, w). */
  public Draw draw(int batch, List<Shape> levels, Rng rng) {
    float[] t = sampleTimes(batch, rng);
    List<float[]> z0 = new ArrayList<>();
    for (Shape s : levels) {
      z0.add(rng.normal(Math.toIntExact(batch * s.size())));
    }
    return new Draw(t, z0);
  }

  /** Scalar loss for data {@code z1}, with z0 and t drawn from {@code rng}. */
  public NDArray loss(NDList z1, Rng rng, BiFunction<NDList, NDArray, NDList> model) {
    List<Shape> levels = new ArrayList<>();
    for (NDArray x : z1) {
      levels.add(x.getShape().slice(1));
    }
    return loss(z1, draw(Math.toIntExact(z1.head().getShape().get(0)), levels, rng), model);
  }

  /**
   * Scalar loss for data {@code z1} with the given draws (B samples). {@code model} maps (z_t, t)
   * to the predicted velocities (it may record autograd).
   */
  public NDArray loss(NDList z1, Draw draw, BiFunction<NDList, NDArray, NDList> model) {
    NDManager m = z1.head().getManager();
    int b = Math.toIntExact(z1.head().getShape().get(0));
    if (draw.t().length != b) {
      throw new IllegalArgumentException("draws for " + draw.t().length + " samples, data has " + b);
    }
    NDArray t = Tensors.create(m, draw.t()).toDevice(z1.head().getDevice(), false); // (B,)
    NDList zt = new NDList();
    NDList target = new NDList();
    for (int i = 0; i < z1.size(); i++) {
      NDArray x1 = z1.get(i);
      Shape s = x1.getShape();
      NDArray x0 = Tensors.create(m, draw.z0().get(i), s).toDevice(x1.getDevice(), false);
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

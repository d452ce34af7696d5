package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.function.BiFunction;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.Tensors;

/**
 * Compares autograd gradients of L = sum(f(x) * R) (R fixed random) with central finite differences,
 * in float64, for sampled entries of the input and of every trainable parameter.
 */
final class GradCheck {
  private static final double H = 1e-6;

  private GradCheck() {}

  static void check(NDManager m, Module mod, Shape xShape, BiFunction<Ctx, NDArray, NDArray> f,
      int trainingWarmup) {
    check(m, mod, xShape, f, trainingWarmup, false);
  }

  /**
   * With {@code randomise}, every trainable parameter is replaced by N(0, 0.3^2) after
   * initialisation, so that no gradient path hides behind a zero-initialised projection.
   */
  static void check(NDManager m, Module mod, Shape xShape, BiFunction<Ctx, NDArray, NDArray> f,
      int trainingWarmup, boolean randomise) {
    mod.initialize(m, 11, DataType.FLOAT64);
    Rng rng = new Rng(5);
    if (randomise) {
      for (Param p : mod.trainableParameters().values()) {
        double[] v = toDouble(rng.normal((int) p.size()));
        for (int i = 0; i < v.length; i++) {
          v[i] *= 0.3;
        }
        write(m, p.value(), v);
      }
    }
    NDArray x = m.create(toDouble(rng.normal((int) xShape.size())), xShape);
    // a few training forwards let spectral norm's power iteration settle; eval forwards then use
    // fixed u, v so that the loss is a deterministic function of the weights
    for (int i = 0; i < trainingWarmup; i++) {
      f.apply(Ctx.train(m, new Rng(i)), x);
    }
    Ctx eval = Ctx.eval(m);
    Shape outShape = f.apply(eval, x).getShape();
    NDArray r = m.create(toDouble(rng.normal((int) outShape.size())), outShape);
    x.setRequiresGradient(true);
    try (Autograd g = Autograd.record()) {
      Autograd.backward(f.apply(eval, x).mul(r).sum());
    }
    compare("input", x, Autograd.grad(x).toDoubleArray(), () -> loss(f, eval, x, r), m, rng);
    for (Map.Entry<String, Param> e : mod.trainableParameters().entrySet()) {
      NDArray p = e.getValue().value();
      compare(e.getKey(), p, Autograd.grad(p).toDoubleArray(), () -> loss(f, eval, x, r), m, rng);
    }
  }

  private static double loss(BiFunction<Ctx, NDArray, NDArray> f, Ctx eval, NDArray x, NDArray r) {
    try (Autograd g = Autograd.pause()) {
      return f.apply(eval, x).mul(r).sum().getDouble();
    }
  }

  private static void compare(String name, NDArray a, double[] analytic,
      java.util.function.DoubleSupplier loss, NDManager m, Rng rng) {
    double[] base = a.toDoubleArray();
    int samples = Math.min(4, base.length);
    for (int s = 0; s < samples; s++) {
      int i = (int) (rng.nextDouble() * base.length);
      double[] d = base.clone();
      d[i] = base[i] + H;
      write(m, a, d);
      double plus = loss.getAsDouble();
      d[i] = base[i] - H;
      write(m, a, d);
      double minus = loss.getAsDouble();
      write(m, a, base);
      double numeric = (plus - minus) / (2 * H);
      double err = Math.abs(numeric - analytic[i]);
      double tol = 1e-5 + 1e-4 * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
      assertTrue(err <= tol, name + "[" + i + "]: autograd " + analytic[i] + " vs finite difference "
          + numeric);
    }
  }

  private static void write(NDManager m, NDArray a, double[] d) {
    Tensors.copyInto(m.create(d, a.getShape()), a);
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}

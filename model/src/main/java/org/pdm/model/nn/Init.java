package org.pdm.model.nn;

import ai.djl.ndarray.types.Shape;

/** How a {@link Param} gets its first value. */
@FunctionalInterface
public interface Init {
  /** Values for a tensor of {@code shape}, drawn from {@code rng}. */
  float[] values(Shape shape, Rng rng);

  /** All zeros. */
  static Init zeros() {
    return (shape, rng) -> new float[Math.toIntExact(shape.size())];
  }

  /** All ones. */
  static Init ones() {
    return (shape, rng) -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      java.util.Arrays.fill(v, 1f);
      return v;
    };
  }

  /**
   * score_sde's {@code default_init}: variance scaling, fan-average, uniform, with the given scale
   * (a scale of 0 is replaced by 1e-10 as there). Fan-in is dim 1 times the receptive field, fan-out
   * dim 0 times the receptive field (PyTorch layout (out, in, kh, kw)).
   */
  static Init varianceScaling(double scale) {
    return (shape, rng) -> {
      double s = scale == 0 ? 1e-10 : scale;
      long receptive = 1;
      for (int i = 2; i < shape.dimension(); i++) {
        receptive *= shape.get(i);
      }
      double fanIn = (shape.dimension() > 1 ? shape.get(1) : shape.get(0)) * (double) receptive;
      double fanOut = shape.get(0) * (double) receptive;
      double variance = s / ((fanIn + fanOut) / 2.0);
      double limit = Math.sqrt(3.0 * variance);
      return rng.uniform(Math.toIntExact(shape.size()), -limit, limit);
    };
  }

  /** Normal with the given standard deviation. */
  static Init normal(double std) {
    return (shape, rng) -> {
      float[] v = rng.normal(Math.toIntExact(shape.size()));
      for (int i = 0; i < v.length; i++) {
        v[i] *= (float) std;
      }
      return v;
    };
  }

  /** A unit vector (normal direction, normalised): the spectral-norm start vector. */
  static Init unitNormal() {
    return (shape, rng) -> {
      float[] v = rng.normal(Math.toIntExact(shape.size()));
      double n = 0;
      for (float x : v) {
        n += x * x;
      }
      n = Math.sqrt(n) + 1e-12;
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) n;
      }
      return v;
    };
  }
}

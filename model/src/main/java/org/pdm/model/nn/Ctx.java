package org.pdm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What a forward pass needs besides its inputs: the step's {@link NDManager} (intermediate arrays
 * live there and die with it), whether the network is training (dropout on), the {@link Rng} for
 * dropout masks, and an optional {@link FlopCounter}.
 */
public final class Ctx {
  private final NDManager manager;
  private final boolean training;
  private final Rng rng;
  private final FlopCounter flops;

  private Ctx(NDManager manager, boolean training, Rng rng, FlopCounter flops) {
    this.manager = manager;
    this.training = training;
    this.rng = rng;
    this.flops = flops;
  }

  /** An inference context: no dropout. */
  public static Ctx eval(NDManager manager) {
    return new Ctx(manager, false, null, null);
  }

  /** A training context: dropout masks drawn from {@code rng}. */
  public static Ctx train(NDManager manager, Rng rng) {
    return new Ctx(manager, true, rng, null);
  }

  /** The same context, counting FLOPs into {@code counter}. */
  public Ctx withFlops(FlopCounter counter) {
    return new Ctx(manager, training, rng, counter);
  }

  public NDManager manager() {
    return manager;
  }

  public boolean training() {
    return training;
  }

  /** The dropout generator; throws in an eval context. */
  public Rng rng() {
    if (rng == null) {
      throw new IllegalStateException("no Rng in an eval context");
    }
    return rng;
  }

  /** Adds {@code n} FLOPs if counting. */
  public void countFlops(double n) {
    if (flops != null) {
      flops.add(n);
    }
  }

  /** An array in this step's manager. */
  public NDArray create(float[] data, Shape shape) {
    return Tensors.create(manager, data, shape);
  }
}

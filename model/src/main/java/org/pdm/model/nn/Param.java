package org.pdm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One named tensor of a {@link Module}: a trainable weight or a non-trained buffer (such as the
 * spectral-norm vector u). The shape is known at construction, so that parameter counts of very large
 * models (the 2K configs) are available without allocating anything; the value is allocated by
 * {@link Module#initialize}.
 */
public final class Param {
  private final Shape shape;
  private final Init init;
  private final boolean trainable;
  private NDArray value;

  Param(Shape shape, Init init, boolean trainable) {
    this.shape = shape;
    this.init = init;
    this.trainable = trainable;
  }

  public Shape shape() {
    return shape;
  }

  /** Number of scalars. */
  public long size() {
    return shape.size();
  }

  public boolean trainable() {
    return trainable;
  }

  public boolean isInitialized() {
    return value != null;
  }

  /** The value; throws if the module was not initialised. */
  public NDArray value() {
    if (value == null) {
      throw new IllegalStateException("parameter of shape " + shape + " is not initialized");
    }
    return value;
  }

  void allocate(NDManager manager, Rng rng, DataType dtype) {
    float[] data = init.values(shape, rng);
    NDArray array = Tensors.create(manager, data, shape);
    if (dtype != DataType.FLOAT32) {
      NDArray converted = array.toType(dtype, false);
      array.close();
      array = converted;
    }
    if (trainable) {
      array.setRequiresGradient(true);
    }
    value = array;
  }

  /**
   * Overwrites the value in place (no autograd record) with {@code data} of the same shape, in the
   * tensor's own storage (see {@link Tensors}).
   */
  public void set(float[] data) {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException("expected " + shape.size() + " values for " + shape + ", got "
          + data.length);
    }
    Tensors.copyInto(data, value());
  }
}

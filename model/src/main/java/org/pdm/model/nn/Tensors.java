package org.pdm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Safe in-place writes into long-lived arrays. DJL's {@code copyTo} and {@code set(Buffer)} make the
 * destination tensor ALIAS a direct buffer (on CPU {@code set} wraps the buffer's memory, and
 * {@code copyTo} passes the source tensor's own memory): once the source is freed, the destination
 * reads freed memory (seen here as run-to-run differences and NaNs). These helpers copy the values
 * into the destination's own storage ({@code dst[...] = src}), so views of it stay valid too.
 */
public final class Tensors {
  private static final NDIndex ALL = new NDIndex("...");

  private Tensors() {}

  /**
   * An array holding {@code data} in libtorch-owned memory. {@code NDManager.create(float[])} on CPU
   * wraps a Java direct buffer ({@code from_blob}) that only the Java array object keeps alive; with
   * such arrays as inputs, gradients were measured to differ from run to run now and then (about
   * 1 in 100 backward passes of the autoencoder, sometimes NaN). A clone owns its memory, so that
   * nothing the autograd graph holds can depend on a Java buffer's lifetime.
   */
  public static NDArray create(NDManager manager, float[] data, Shape shape) {
    NDArray wrapped = manager.create(data, shape);
    NDArray owned = wrapped.duplicate();
    wrapped.close();
    return owned;
  }

  /** {@link #create(NDManager, float[], Shape)} as a 1-D array. */
  public static NDArray create(NDManager manager, float[] data) {
    return create(manager, data, new Shape(data.length));
  }

  /** A 0-d array holding {@code value} in {@code like}'s manager, type and device, libtorch-owned. */
  public static NDArray scalar(NDArray like, double value) {
    if (like.getDataType() == DataType.FLOAT64) {
      // a float32 scalar would round the value (RK45 keeps its state in float64)
      NDArray wrapped = like.getManager().create(new double[] {value}, new Shape());
      NDArray owned = wrapped.duplicate();
      wrapped.close();
      return owned.toDevice(like.getDevice(), false);
    }
    NDArray s = create(like.getManager(), new float[] {(float) value}, new Shape());
    return like.getDataType() == s.getDataType() && like.getDevice().equals(s.getDevice()) ? s
        : s.toDevice(like.getDevice(), false).toType(like.getDataType(), false);
  }

  /** dst[...] = src (same shape), not recorded by autograd. */
  public static void copyInto(NDArray src, NDArray dst) {
    if (!src.getShape().equals(dst.getShape())) {
      throw new IllegalArgumentException("shape " + src.getShape() + " into " + dst.getShape());
    }
    try (Autograd g = Autograd.pause()) {
      dst.set(ALL, src);
    }
  }

  /** dst[...] = values (row-major, dst's shape), converted to dst's type. */
  public static void copyInto(float[] values, NDArray dst) {
    if (values.length != dst.getShape().size()) {
      throw new IllegalArgumentException("expected " + dst.getShape().size() + " values for "
          + dst.getShape() + ", got " + values.length);
    }
    try (NDManager tmp = dst.getManager().newSubManager()) {
      NDArray src = create(tmp, values, dst.getShape()).toDevice(dst.getDevice(), false)
          .toType(dst.getDataType(), false);
      copyInto(src, dst);
    }
  }
}

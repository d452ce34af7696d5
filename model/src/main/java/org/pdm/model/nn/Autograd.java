package org.pdm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Thread-local gradient recording for the PyTorch engine. DJL's {@code GradientCollector} allows one
 * collector per JVM (a static flag), which would serialise the Spark tasks of an executor; libtorch's
 * grad mode is per thread, so this sets it directly. Gradients accumulate over backward calls
 * (gradient accumulation) until {@link #zeroGrad} clears them.
 */
public final class Autograd implements AutoCloseable {
  private final boolean previous;

  private Autograd(boolean enabled) {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(enabled);
  }

  /** Records operations for backward until closed. */
  public static Autograd record() {
    return new Autograd(true);
  }

  /** Stops recording until closed (for in-place updates of parameters). */
  public static Autograd pause() {
    return new Autograd(false);
  }

  /** Back-propagates a scalar {@code loss} into the gradients of the parameters it depends on. */
  public static void backward(NDArray loss) {
    NDArray seed = loss.onesLike();
    JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
  }

  /** The accumulated gradient of {@code param} (an array in the param's current manager). */
  public static NDArray grad(NDArray param) {
    return param.getGradient();
  }

  /** Clears the accumulated gradient of {@code param}. */
  public static void zeroGrad(NDArray param) {
    JniUtils.zeroGrad((PtNDArray) param);
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}

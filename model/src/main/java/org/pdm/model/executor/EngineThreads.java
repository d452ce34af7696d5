package org.pdm.model.executor;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count is an OpenMP setting of the calling OS thread: DJL applies
 * {@code ai.djl.pytorch.num_threads} only on the thread that loaded the engine, so a Spark task
 * thread would run the model with OpenMP's default (every core) and fight the task's decoding
 * thread for them. {@link ModelRegistry}'s model threads call {@link #applyToCurrentThread} before
 * loading a model.
 */
public final class EngineThreads {
  private EngineThreads() {}

  /** Sets the current thread's intra-op threads to {@code ai.djl.pytorch.num_threads} when that is set. */
  public static void applyToCurrentThread() {
    Integer wanted = Integer.getInteger("ai.djl.pytorch.num_threads");
    if (wanted == null || wanted <= 0) {
      return;
    }
    ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library if nothing has yet
    if (JniUtils.getNumThreads() != wanted) {
      JniUtils.setNumThreads(wanted);
    }
  }
}

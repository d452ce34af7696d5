package org.pdm.model.train;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Ctx;

/**
 * One micro-batch's loss: builds its inputs in {@code ctx.manager()}, draws any randomness from
 * {@code ctx.rng()} and returns a scalar. Called with autograd recording.
 */
@FunctionalInterface
public interface LossFunction {
  NDArray apply(Ctx ctx);
}

package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A time-dependent velocity on a pyramid state: z (one array per level, each (B, ...)), t (B,) ->
 * dz/dt of the same shapes. Samplers know only this, never a network.
 */
@FunctionalInterface
public interface VelocityField {
  NDList apply(NDList z, NDArray t);
}

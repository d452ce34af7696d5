package org.pdm.model.flow;

import ai.djl.ndarray.NDList;

/** Integrates a {@link VelocityField} from noise at t = eps to data at t = 1. */
public interface Sampler {
  /** The state at t = 1 from {@code z0} at t = eps; the result counts the velocity evaluations. */
  Result sample(VelocityField v, NDList z0);

  /** Final state and number of function (network) evaluations. */
  record Result(NDList z, int nfe) {}
}

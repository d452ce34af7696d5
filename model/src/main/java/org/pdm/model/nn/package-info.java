/**
 * A minimal module system on DJL arrays: {@link org.pdm.model.nn.Module} (named parameters, PyTorch
 * names, shape-only counting), {@link org.pdm.model.nn.Ctx} (per-step manager, training flag, RNG),
 * {@link org.pdm.model.nn.StepScope} (the per-step memory rule), {@link org.pdm.model.nn.Autograd}
 * (thread-local grad mode) and {@link org.pdm.model.nn.Rng} (savable randomness).
 */
package org.pdm.model.nn;

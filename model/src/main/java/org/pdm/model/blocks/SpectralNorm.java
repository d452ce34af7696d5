package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Param;

/**
 * Spectral normalisation (Miyato et al. 2018) of a weight viewed as a matrix (out, in*kh*kw): returns
 * W / sigma_max(W), with sigma_max estimated by power iteration. The left singular vector estimate u
 * (out,) is a buffer saved with the weights; each training forward does one power-iteration step and
 * updates u in place (no autograd), as {@code torch.nn.utils.spectral_norm} does. Gradients flow
 * through W and sigma = u^T W v with u and v held constant.
 */
final class SpectralNorm {
  private static final float EPS = 1e-12f;

  private SpectralNorm() {}

  /** W / sigma for weight {@code w} (any shape with out channels first) and buffer {@code u}. */
  static NDArray normalize(Ctx ctx, NDArray w, Param u) {
    long out = w.getShape().get(0);
    NDArray wmat = w.reshape(out, -1); // (O, N)
    NDArray uVec;
    NDArray vVec;
    try (Autograd g = Autograd.pause()) {
      NDArray wd = wmat.stopGradient();
      uVec = u.value().reshape(out, 1); // (O, 1)
      vVec = unit(wd.transpose().matMul(uVec)); // (N, 1)
      if (ctx.training()) {
        uVec = unit(wd.matMul(vVec)); // (O, 1)
        vVec = unit(wd.transpose().matMul(uVec));
        uVec.reshape(out).copyTo(u.value());
      }
    }
    NDArray sigma = uVec.transpose().matMul(wmat.matMul(vVec)); // (1, 1), differentiable in W
    return w.div(sigma.reshape(new ai.djl.ndarray.types.Shape()));
  }

  private static NDArray unit(NDArray v) {
    return v.div(v.norm().add(EPS));
  }

  /** Largest singular value estimate of {@code w} for the current u (used by tests and logging). */
  static float sigma(NDArray w, Param u) {
    long out = w.getShape().get(0);
    try (Autograd g = Autograd.pause()) {
      NDArray wmat = w.reshape(out, -1);
      NDArray uVec = u.value().reshape(out, 1);
      NDArray vVec = unit(wmat.transpose().matMul(uVec));
      return uVec.transpose().matMul(wmat.matMul(vVec)).getFloat(0, 0);
    }
  }
}

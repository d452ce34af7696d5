package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Tensors;
import org.pdm.model.nn.Param;

/**
 * Spectral normalisation (Miyato et al. 2018) of a weight viewed as a matrix (out, in*kh*kw): returns
 * W / sigma_max(W), with sigma_max estimated by power iteration. The singular vector estimates u (out,)
 * and v (in*kh*kw,) are buffers saved with the weights; each training forward does one
 * power-iteration step and updates them in place (no autograd), as
 * {@code torch.nn.utils.spectral_norm} does. Gradients flow through W and sigma = u^T W v with u and
 * v held constant.
 */
final class SpectralNorm {
  private static final float EPS = 1e-12f;

  private SpectralNorm() {}

  /**
   * W / sigma for weight {@code w} (any shape with out channels first) and buffers {@code u} (O) and
   * {@code v} (N = in*kh*kw). A training forward first does one power-iteration step and stores the
   * new u and v; sigma = u^T W v is then differentiable in W with u, v constant (exactly
   * torch.nn.utils.spectral_norm).
   */
  static NDArray normalize(Ctx ctx, NDArray w, Param u, Param v) {
    long out = w.getShape().get(0);
    NDArray wmat = w.reshape(out, -1); // (O, N)
    NDArray uVec = u.value().reshape(out, 1); // (O, 1)
    NDArray vVec = v.value().reshape(-1, 1); // (N, 1)
    if (ctx.training()) {
      try (Autograd g = Autograd.pause()) {
        NDArray wd = wmat.stopGradient();
        vVec = unit(wd.transpose().matMul(uVec));
        uVec = unit(wd.matMul(vVec));
        // Tensors.copyInto, not copyTo: the state must not share memory with this step's arrays.
        Tensors.copyInto(uVec.reshape(out), u.value());
        Tensors.copyInto(vVec.reshape(-1), v.value());
      }
    }
    NDArray sigma = uVec.transpose().matMul(wmat.matMul(vVec)); // (1, 1), differentiable in W
    return w.div(sigma.reshape(new ai.djl.ndarray.types.Shape()));
  }

  /** Power iterations run when a layer is initialised: torch's parametrized spectral norm's 15. */
  static final int INIT_ITERATIONS = 15;

  /**
   * Brings u and v of a freshly initialised layer to the top singular vectors of {@code w}, as
   * {@code torch.nn.utils.parametrizations.spectral_norm} does (15 power iterations at
   * construction). Without it u and v are independent random unit vectors and sigma = u^T W v,
   * which an eval forward uses as it is, is a random number near 0 of either sign: a fresh model
   * in eval mode (model init, then encode) divided its weights by it and gave encoder means of
   * ~1e3 and log-variances at the clamp.
   */
  static void warmUp(NDArray w, Param u, Param v) {
    long out = w.getShape().get(0);
    try (Autograd g = Autograd.pause();
        ai.djl.ndarray.NDManager tmp = w.getManager().newSubManager()) {
      NDArray wmat = w.duplicate(); // moved to tmp so that every result below lands there
      wmat.attach(tmp);
      wmat = wmat.reshape(out, -1); // (O, N)
      NDArray uVec = u.value().duplicate();
      uVec.attach(tmp);
      uVec = uVec.reshape(out, 1);
      NDArray vVec = null;
      for (int i = 0; i < INIT_ITERATIONS; i++) {
        vVec = unit(wmat.transpose().matMul(uVec));
        uVec = unit(wmat.matMul(vVec));
      }
      Tensors.copyInto(uVec.reshape(out), u.value());
      Tensors.copyInto(vVec.reshape(-1), v.value());
    }
  }

  private static NDArray unit(NDArray v) {
    return v.div(v.norm().add(EPS));
  }

  /** sigma = u^T W v for the stored u and v (used by tests and logging). */
  static float sigma(NDArray w, Param u, Param v) {
    long out = w.getShape().get(0);
    try (Autograd g = Autograd.pause()) {
      NDArray wmat = w.reshape(out, -1);
      NDArray uVec = u.value().reshape(out, 1);
      NDArray vVec = v.value().reshape(-1, 1);
      return uVec.transpose().matMul(wmat.matMul(vVec)).toType(ai.djl.ndarray.types.DataType.FLOAT32,
          false).getFloat(0, 0);
    }
  }
}

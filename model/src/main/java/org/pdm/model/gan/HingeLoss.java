package org.pdm.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.pdm.model.nn.Ops;

/**
 * The adversarial terms of latent diffusion's {@code LPIPSWithDiscriminator} (taming's
 * {@code hinge_d_loss}, {@code adopt_weight} and {@code calculate_adaptive_weight}).
 */
public final class HingeLoss {
  /** Added to the denominator of the adaptive weight, as taming. */
  public static final double ADAPTIVE_EPS = 1e-4;
  /** Upper clamp of the adaptive weight, as taming. */
  public static final double ADAPTIVE_MAX = 1e4;

  private HingeLoss() {}

  /** 0.5 * (mean(relu(1 - real)) + mean(relu(1 + fake))) over patch logits: a scalar. */
  public static NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
    NDArray real = Activation.relu(realLogits.neg().add(1f)).mean();
    NDArray fake = Activation.relu(fakeLogits.add(1f)).mean();
    return Ops.scale(real.add(fake), 0.5);
  }

  /** The generator's term: -mean(fake logits). */
  public static NDArray generator(NDArray fakeLogits) {
    return fakeLogits.mean().neg();
  }

  /** taming's {@code adopt_weight}: {@code factor} from step {@code start} on, 0 before. */
  public static double discFactor(long step, long start, double factor) {
    return step < start ? 0 : factor;
  }

  /**
   * ||grad nll|| / (||grad g|| + 1e-4) clamped to [0, 1e4], times {@code discWeight}, from the two
   * gradient norms on the decoder's last layer (a plain number: it is detached by construction).
   */
  public static double adaptiveWeight(double gradNllNorm, double gradGNorm, double discWeight) {
    double w = gradNllNorm / (gradGNorm + ADAPTIVE_EPS);
    return Math.min(Math.max(w, 0), ADAPTIVE_MAX) * discWeight;
  }
}

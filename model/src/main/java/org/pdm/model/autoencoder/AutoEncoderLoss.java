package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Rng;

/**
 * Training objective of the autoencoder, scaled as latent diffusion's so that {@code kl-weight}
 * means what it means in their configs (1e-6):
 *
 * <pre>
 *   LD:   sum_{C,H,W} (x - x')^2 / B  +  kl-weight * sum_{latent elements} KL / B
 *   ours: the same divided by n = C*H*W, i.e. MSE per pixel + kl-weight * KL / n
 * </pre>
 *
 * The constant 1/n changes neither the minimiser nor the ratio of the two terms; it keeps the loss
 * and its gradients in per-pixel units, so that the default gradient clipping (global norm 1) and
 * learning rates stay what they were (LD's per-image sum is ~3x10^6 times larger at 1024, and LD
 * does not clip). Before this, the KL was not divided by n: C*H*W times stronger than in LD.
 * (Latent diffusion's full objective, L1 + LPIPS + a patch GAN with the adaptive weight, is
 * {@link org.pdm.model.gan.AutoEncoderObjective}.)
 */
public final class AutoEncoderLoss {
  private AutoEncoderLoss() {}

  /** The two terms as they enter the loss ({@code kl} already weighted) and their sum. */
  public record Terms(NDArray reconstruction, NDArray kl, NDArray total) {}

  /** Scalar loss for images x (B, C, H, W); latents sampled with {@code rng}. */
  public static NDArray compute(Ctx ctx, PyramidAutoEncoder ae, NDArray x, Rng rng) {
    return terms(ctx, ae, x, rng).total();
  }

  /** The loss split into its terms (the KL term is 0 for a deterministic bottleneck). */
  public static Terms terms(Ctx ctx, PyramidAutoEncoder ae, NDArray x, Rng rng) {
    LatentPyramid q = ae.encode(ctx, x);
    NDArray rec = ae.decode(ctx, q.sample(ctx, rng));
    NDArray mse = rec.sub(x).square().mean();  // sum over (B, C, H, W) / (B n)
    long n = x.getShape().size() / x.getShape().get(0);  // C*H*W
    NDArray kl = q.isGaussian() && ae.config().klWeight() > 0
        ? Ops.scale(q.kl(), ae.config().klWeight() / n)  // q.kl(): sum over latents / B
        : mse.zerosLike();
    return new Terms(mse, kl, mse.add(kl));
  }
}

package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.Ops;

/**
 * Training objective of the autoencoder: mean squared reconstruction error plus {@code kl-weight}
 * times the KL term of a Gaussian bottleneck. (Latent diffusion adds LPIPS and a patch GAN; those are
 * not part of this library, see docs/model.md.)
 */
public final class AutoEncoderLoss {
  private AutoEncoderLoss() {}

  /** Scalar loss for images x (B, C, H, W); latents sampled with {@code rng}. */
  public static NDArray compute(Ctx ctx, PyramidAutoEncoder ae, NDArray x, Rng rng) {
    LatentPyramid q = ae.encode(ctx, x);
    NDArray rec = ae.decode(ctx, q.sample(ctx, rng));
    NDArray loss = rec.sub(x).square().mean();
    if (q.isGaussian() && ae.config().klWeight() > 0) {
      loss = loss.add(Ops.scale(q.kl(), ae.config().klWeight()));
    }
    return loss;
  }
}

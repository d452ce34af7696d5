package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.Ops;

/**
 * The encoder's output: per latent level (largest first) a mean and, for a KL bottleneck, a
 * log-variance (clamped to [-30, 20] as in latent diffusion), each (B, c, h, w).
 */
public final class LatentPyramid {
  private final List<NDArray> mean;
  private final List<NDArray> logvar; // null entries for a deterministic bottleneck

  LatentPyramid(List<NDArray> mean, List<NDArray> logvar) {
    this.mean = mean;
    this.logvar = logvar;
  }

  /** Splits moments (B, 2c, h, w) into mean and log-variance; or keeps (B, c, h, w) as the code. */
  static LatentPyramid fromMoments(List<NDArray> moments, boolean kl) {
    List<NDArray> mean = new ArrayList<>();
    List<NDArray> logvar = new ArrayList<>();
    for (NDArray m : moments) {
      if (kl) {
        long c = m.getShape().get(1) / 2;
        mean.add(m.get(":, :" + c));
        logvar.add(m.get(":, " + c + ":").clip(-30f, 20f));
      } else {
        mean.add(m);
        logvar.add(null);
      }
    }
    return new LatentPyramid(mean, logvar);
  }

  public boolean isGaussian() {
    return logvar.get(0) != null;
  }

  /** The means (the deterministic code): what the latent cache stores. */
  public NDList mode() {
    return new NDList(mean.toArray(new NDArray[0]));
  }

  /** The log-variances (clamped), largest first; only for a Gaussian (KL) bottleneck. */
  public NDList logvar() {
    if (!isGaussian()) {
      throw new IllegalStateException("a deterministic bottleneck has no log-variance");
    }
    return new NDList(logvar.toArray(new NDArray[0]));
  }

  /** z = mean + exp(logvar / 2) * eps with eps from {@code rng}; the mode if deterministic. */
  public NDList sample(Ctx ctx, Rng rng) {
    if (!isGaussian()) {
      return mode();
    }
    NDList eps = new NDList();
    for (NDArray m : mean) {
      eps.add(ctx.create(rng.normal(Math.toIntExact(m.getShape().size())), m.getShape())
          .toDevice(m.getDevice(), false));
    }
    return sample(eps);
  }

  /**
   * z = mean + exp(logvar / 2) * eps with the given standard normal draws, one per level shaped as
   * its mean (data parallel draws them for the whole batch and hands each replica its slice).
   */
  public NDList sample(NDList eps) {
    if (!isGaussian()) {
      return mode();
    }
    NDList out = new NDList();
    for (int i = 0; i < mean.size(); i++) {
      out.add(mean.get(i).add(Ops.scale(logvar.get(i), 0.5).exp().mul(eps.get(i))));
    }
    return out;
  }

  /**
   * KL(q || N(0, I)) summed over every latent element and level, averaged over the batch:
   * 0.5 * sum(mean^2 + var - 1 - logvar) / B. Zero (a scalar) for a deterministic bottleneck.
   */
  public NDArray kl() {
    long b = mean.get(0).getShape().get(0);
    NDArray total = null;
    for (int i = 0; i < mean.size(); i++) {
      if (logvar.get(i) == null) {
        return mean.get(0).zerosLike().sum();
      }
      NDArray lv = logvar.get(i);
      NDArray term = Ops.scale(mean.get(i).square().add(lv.exp()).sub(1f).sub(lv).sum(), 0.5 / b);
      total = total == null ? term : total.add(term);
    }
    return total;
  }
}

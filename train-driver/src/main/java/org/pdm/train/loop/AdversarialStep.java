package org.pdm.train.loop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdm.model.gan.AutoEncoderObjective;
import org.pdm.model.train.Trainer;
import org.pdm.train.data.Batch;

/**
 * The autoencoder's step with its PatchGAN discriminator (latent diffusion's
 * {@code LPIPSWithDiscriminator}, model's {@link AutoEncoderObjective}): the generator update
 * (reconstruction + perceptual + KL + the adaptive-weighted adversarial term from disc-start on),
 * then the discriminator's own update with its own Adam on the same inputs and reconstructions.
 * Both trainers are checkpointed, so a resumed run continues exactly. One device only.
 */
public final class AdversarialStep implements StepRunner {
  /** The name of the discriminator's state in checkpoints ({@code discriminator*.safetensors}). */
  public static final String DISCRIMINATOR = "discriminator";

  private final AutoEncoderObjective objective;
  private final Trainer autoencoder;
  private final Trainer discriminator;
  private final boolean perceptual;

  public AdversarialStep(AutoEncoderObjective objective, Trainer autoencoder, Trainer discriminator) {
    this.objective = objective;
    this.autoencoder = autoencoder;
    this.discriminator = discriminator;
    this.perceptual = objective.settings().perceptualWeight() > 0;
  }

  @Override
  public Trainer trainer() {
    return autoencoder;
  }

  @Override
  public Map<String, Trainer> companions() {
    return Map.of(DISCRIMINATOR, discriminator);
  }

  @Override
  public Step step(List<Batch> microBatches) {
    List<float[]> images = new ArrayList<>();
    for (Batch b : microBatches) {
      images.add(b.arrays().get(0)); // (B, C, H, W) in [-1, 1]
    }
    AutoEncoderObjective.GeneratorTerms g = objective.generatorStep(autoencoder, images);
    AutoEncoderObjective.DiscriminatorTerms d = objective.discriminatorStep(discriminator);
    // latent diffusion's log names where it has one (nll_loss, g_loss, d_weight, disc_factor, ...)
    Map<String, Double> terms = new LinkedHashMap<>();
    terms.put("recon", g.reconstruction());
    if (perceptual) {
      terms.put("perceptual", g.perceptual());
    }
    terms.put("nll", g.reconstruction() + g.perceptual());
    terms.put("kl", g.kl());
    terms.put("disc_factor", g.discFactor());
    if (g.discFactor() > 0) {
      terms.put("g_loss", g.g());
      terms.put("d_weight", g.adaptiveWeight());
    }
    double loss = g.total();
    if (d != null) {
      terms.put("disc_loss", d.loss());
      terms.put("logits_real", d.realLogits());
      terms.put("logits_fake", d.fakeLogits());
      terms.put("disc_grad_norm", d.gradNorm());
      if (!Double.isFinite(d.loss())) {
        loss = d.loss(); // the loop stops on it as on the generator's
      }
    }
    return new Step(loss, g.gradNorm(), g.lr(), terms);
  }
}

package org.pdm.train;

import java.io.Serializable;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.model.train.TrainConfig;

/**
 * The validated keys of one objective's block ({@code pdm.train.autoencoder} or {@code pdm.train.flow}).
 *
 * @param objective "autoencoder" or "flow"
 * @param input the dataset (autoencoder) or latent cache (flow); "" for the work folder's
 * @param out output folder; "" for the work folder's
 * @param modelConfig a model config file or name; "" to pick by the data
 * @param autoencoder flow only: the autoencoder that decodes sample grids; "" for the work folder's
 * @param lr peak learning rate
 * @param warmup linear warmup steps
 * @param emaDecay decay of the weights' EMA
 * @param gradClip global-norm clip, 0 for none
 * @param accumulation micro-batches per step
 * @param reconLoss autoencoder only: l1 or l2
 * @param klWeight autoencoder only: weight of the KL term (latent diffusion's scale)
 * @param sampleSteps flow only: Euler steps of the sample grids
 * @param scaleWarmup flow only: steps of the latent std EMA when the cache has no stats
 * @param schedule the learning rate after the warmup: constant, or cosine to 0 at the step target
 * @param lpips autoencoder only: a TorchScript LPIPS file for the perceptual term; "" for none
 * @param perceptualWeight autoencoder only: weight of the perceptual term when {@code lpips} is given
 * @param discWeight autoencoder only: multiplies the adaptive weight of the PatchGAN term; 0 for no
 *     discriminator at all
 * @param discStart autoencoder only: first step with the adversarial terms
 * @param discFactor autoencoder only: the adversarial terms' factor from {@code discStart} on
 */
public record ObjectiveSettings(String objective, String input, String out, String modelConfig, String autoencoder,
    double lr, int warmup, double emaDecay, double gradClip, int accumulation, String reconLoss, double klWeight,
    int sampleSteps, int scaleWarmup, String schedule, String lpips, double perceptualWeight, double discWeight,
    long discStart, double discFactor) implements Serializable {

  public static final String AUTOENCODER = "autoencoder";
  public static final String FLOW = "flow";

  public static ObjectiveSettings from(PdmConfig config, String objective) {
    Settings s = config.settings("train").section(objective);
    boolean ae = objective.equals(AUTOENCODER);
    return new ObjectiveSettings(objective, s.string(ae ? "dataset" : "latents").trim(), s.string("out").trim(),
        s.string("config").trim(), ae ? "" : s.string("autoencoder").trim(),
        s.doubleIn("lr", Double.MIN_VALUE, 1), s.intIn("warmup", 0, 100_000_000),
        s.doubleIn("ema-decay", 0, 0.999999), s.doubleIn("grad-clip", 0, 1_000_000),
        s.intIn("accumulation", 1, 4096), ae ? s.oneOf("recon-loss", "l1", "l2") : "",
        ae ? s.doubleIn("kl-weight", 0, 1) : 0, ae ? 0 : s.intIn("sample-steps", 1, 10_000),
        ae ? 0 : s.intIn("scale-warmup", 1, 100_000), s.oneOf("schedule", "constant", "cosine"),
        ae ? s.string("lpips").trim() : "", ae ? s.doubleIn("perceptual-weight", 0, 1000) : 0,
        ae ? s.doubleIn("disc-weight", 0, 1000) : 0, ae ? s.longIn("disc-start", 0, 100_000_000) : 0,
        ae ? s.doubleIn("disc-factor", 0, 1000) : 0);
  }

  /** Whether the run has a PatchGAN discriminator (autoencoder with {@code disc-weight} above 0). */
  public boolean discriminator() {
    return objective.equals(AUTOENCODER) && discWeight > 0;
  }

  /** Whether the run has the perceptual term (an LPIPS file and a weight above 0). */
  public boolean perceptual() {
    return objective.equals(AUTOENCODER) && !lpips.isEmpty() && perceptualWeight > 0;
  }

  /** Whether the adversarial terms come into play before step {@code steps}. */
  public boolean adversarialBefore(long steps) {
    return discriminator() && discFactor > 0 && discStart < steps;
  }

  /**
   * The optimizer settings for model's Trainer (Adam betas and eps are the library's defaults); a
   * cosine schedule reaches 0 at {@code steps}, the run's step target.
   */
  public TrainConfig trainConfig(long seed, long steps) {
    TrainConfig d = TrainConfig.defaults();
    boolean cosine = schedule.equals("cosine");
    if (cosine && steps <= warmup) {
      throw new org.pdm.core.config.ConfigError("pdm.train." + objective + ".schedule = cosine needs more steps ("
          + steps + ") than warmup (" + warmup + ")");
    }
    return new TrainConfig(lr, d.beta1(), d.beta2(), d.adamEps(), d.weightDecay(), warmup, gradClip, accumulation,
        emaDecay, seed, cosine ? TrainConfig.Schedule.COSINE : TrainConfig.Schedule.CONSTANT, cosine ? steps : 0);
  }

  /**
   * The discriminator's optimizer: the autoencoder's learning rate, schedule, clip and accumulation
   * with Adam betas (0.5, 0.9), latent diffusion's; its own seed so that its draws are its own.
   */
  public TrainConfig discriminatorTrainConfig(long seed, long steps) {
    return trainConfig(seed, steps).withBetas(0.5, 0.9).withSeed(seed ^ 0xD15CL);
  }
}

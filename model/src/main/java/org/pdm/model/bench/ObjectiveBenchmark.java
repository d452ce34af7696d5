package org.pdm.model.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.pdm.model.autoencoder.AutoEncoderLoss;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.gan.AutoEncoderObjective;
import org.pdm.model.gan.LpipsLoss;
import org.pdm.model.gan.PatchDiscriminator;
import org.pdm.model.nn.Rng;
import org.pdm.model.train.TrainConfig;
import org.pdm.model.train.Trainer;

/**
 * What the adversarial objective costs: steps/s of an autoencoder config with the plain
 * {@link AutoEncoderLoss} (MSE + KL), with {@link AutoEncoderObjective} before disc-start (L1 + KL,
 * plus LPIPS when {@code --lpips} is given) and after it (plus the discriminator's forward and two
 * backward passes, the adaptive weight and the discriminator's own step). Prints the numbers.
 *
 * <p>Usage: {@code ObjectiveBenchmark --config FILE [--batch B] [--steps N] [--lpips FILE]}
 */
public final class ObjectiveBenchmark {
  private ObjectiveBenchmark() {}

  public static void main(String[] args) {
    Path config = null;
    Path lpipsFile = null;
    int batch = 1;
    int steps = 5;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--config" -> config = Path.of(args[i + 1]);
        case "--lpips" -> lpipsFile = Path.of(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--steps" -> steps = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown flag " + args[i]
            + "; flags: --config FILE --batch B --steps N --lpips FILE");
      }
    }
    if (config == null) {
      throw new IllegalArgumentException("--config FILE (an autoencoder config) is required");
    }
    AutoEncoderConfig c = (AutoEncoderConfig) ModelConfigs.load(config);
    int b = batch;
    float[] images = new Rng(1).uniform(b * c.imageChannels() * c.imageHeight() * c.imageWidth(),
        -1, 1);
    Shape shape = new Shape(b, c.imageChannels(), c.imageHeight(), c.imageWidth());
    TrainConfig train = TrainConfig.defaults().withWarmup(0).withBetas(0.5, 0.9).withLr(1e-5);
    double weight = lpipsFile == null ? 0 : 1.0;
    try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        LpipsLoss lpips = lpipsFile == null ? null : LpipsLoss.load(lpipsFile, Device.cpu())) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(c);
      ae.initialize(root.newSubManager(), 1);
      PatchDiscriminator disc = new PatchDiscriminator(c);
      disc.initialize(root.newSubManager(), 2);
      Trainer aeTrainer = new Trainer(ae, train);
      Trainer discTrainer = new Trainer(disc, train);
      double plain = rate(steps, () -> aeTrainer.step(ctx -> AutoEncoderLoss.compute(ctx, ae,
          ctx.create(images, shape), ctx.rng())));
      AutoEncoderObjective off = new AutoEncoderObjective(ae, disc,
          new AutoEncoderObjective.Settings(AutoEncoderObjective.Reconstruction.L1, weight, 0.5,
              Long.MAX_VALUE, 1.0, c), lpips);
      double before = rate(steps, () -> off.generatorStep(aeTrainer, List.of(images), b));
      AutoEncoderObjective on = new AutoEncoderObjective(ae, disc,
          new AutoEncoderObjective.Settings(AutoEncoderObjective.Reconstruction.L1, weight, 0.5, 0,
              1.0, c), lpips);
      double after = rate(steps, () -> {
        on.generatorStep(aeTrainer, List.of(images), b);
        on.discriminatorStep(discTrainer);
      });
      System.out.printf("config %s, batch %d, %d timed steps each, LPIPS %s, discriminator %,d "
          + "parameters (ndf %d, layers %d)%n", config.getFileName(), b, steps,
          lpipsFile == null ? "off" : lpipsFile.getFileName(), disc.numParameters(),
          c.discriminatorNdf(), c.discriminatorLayers());
      System.out.printf("AutoEncoderLoss (MSE + KL)                 %.3f steps/s%n", plain);
      System.out.printf("objective before disc-start                %.3f steps/s%n", before);
      System.out.printf("objective after disc-start (G + D steps)   %.3f steps/s (%.2fx the "
          + "plain step's time)%n", after, plain / after);
      System.out.printf("peak resident memory %d MB%n", ModelBenchmark.status("VmHWM"));
    }
  }

  /** Steps/s of {@code steps} calls after one warm-up call. */
  private static double rate(int steps, Runnable step) {
    step.run();
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      step.run();
    }
    return steps / ((System.nanoTime() - t0) / 1e9);
  }
}

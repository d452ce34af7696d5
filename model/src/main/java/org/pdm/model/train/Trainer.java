package org.pdm.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

/**
 * The training state of one model and the optimizer step, reading top to bottom: set lr, accumulate
 * (forward + backward per micro-batch), clip, Adam step, zero gradients, EMA. Each step runs in its
 * own {@link StepScope} so resident memory stays flat. All randomness comes from one {@link Rng}
 * whose state is part of the checkpoint, which makes a resumed run continue bit-exactly.
 */
public final class Trainer {
  private final Module model;
  private final TrainConfig config;
  private final Adam adam;
  private final Ema ema;
  private final NDManager stateManager;
  private final Map<String, Param> trainable;
  private Rng rng;
  private long step;

  /** A fresh trainer for an initialised {@code model}: optimizer and EMA state in its manager. */
  public Trainer(Module model, TrainConfig config) {
    this.model = model;
    this.config = config;
    this.stateManager = model.manager().newSubManager();
    this.trainable = model.trainableParameters();
    this.adam = new Adam(trainable, stateManager, config.beta1(), config.beta2(), config.adamEps(),
        config.weightDecay());
    this.ema = new Ema(model, stateManager);
    this.rng = new Rng(config.seed() ^ 0x5DEECE66DL);
  }

  public Module model() {
    return model;
  }

  public TrainConfig config() {
    return config;
  }

  public Ema ema() {
    return ema;
  }

  public Adam adam() {
    return adam;
  }

  /** Optimizer steps done. */
  public long step() {
    return step;
  }

  public Rng rng() {
    return rng;
  }

  /** Result of one optimizer step. */
  public record StepResult(double loss, double gradNorm, double lr) {}

  /** One optimizer step over {@code config.accumulation()} micro-batches. */
  public StepResult step(List<LossFunction> microBatches) {
    return step(microBatches, List.of(), () -> { });
  }

  /**
   * One optimizer step whose loss also runs through {@code others} (modules this trainer does not
   * update, such as the discriminator in the autoencoder's generator loss): their arrays move into
   * the step's scope with this model's (so nothing of the step lands in their managers), and the
   * gradients the backward passes left on them are cleared at the end, so that nothing of this step
   * leaks into their own trainer's next step. {@code beforeUpdate} runs after every micro-batch's
   * backward pass, before the gradient norm, clipping and the Adam step (data parallel adds the
   * other replicas' gradients there).
   */
  public StepResult step(List<LossFunction> microBatches, List<Module> others,
      Runnable beforeUpdate) {
    if (microBatches.size() != config.accumulation()) {
      throw new IllegalArgumentException("expected " + config.accumulation() + " micro-batches, got "
          + microBatches.size());
    }
    List<NDArray> longLived = new ArrayList<>(model.arrays());
    longLived.addAll(adam.arrays());
    longLived.addAll(ema.arrays());
    for (Module o : others) {
      longLived.addAll(o.arrays());
    }
    double lr = config.lrAt(step);
    double loss = 0;
    double norm;
    try (StepScope scope = StepScope.open(model.manager(), longLived)) {
      Ctx ctx = Ctx.train(scope.manager(), rng);
      for (LossFunction f : microBatches) {
        try (Autograd g = Autograd.record()) {
          NDArray l = f.apply(ctx);
          Autograd.backward(l);
          loss += l.getFloat() / microBatches.size();
        }
      }
      beforeUpdate.run();
      double scale = 1.0 / microBatches.size();
      norm = gradNorm() * scale;
      if (config.gradClip() > 0 && norm > config.gradClip()) {
        scale *= config.gradClip() / norm;
      }
      adam.update(lr, scale);
      for (Param p : trainable.values()) {
        Autograd.zeroGrad(p.value());
      }
      for (Module o : others) {
        zeroGrads(o);
      }
      ema.update(config.emaDecay());
    }
    step++;
    return new StepResult(loss, norm, lr);
  }

  /** One step with a single micro-batch. */
  public StepResult step(LossFunction loss) {
    return step(List.of(loss));
  }

  /** Clears the gradients of every trainable parameter of {@code module}. */
  public static void zeroGrads(Module module) {
    for (Param p : module.trainableParameters().values()) {
      Autograd.zeroGrad(p.value());
    }
  }

  /** Global L2 norm of the accumulated gradients, summed on the device with a single read-back. */
  private double gradNorm() {
    try (Autograd g = Autograd.pause()) {
      NDArray total = null;
      for (Param p : trainable.values()) {
        NDArray sq = Autograd.grad(p.value()).square().sum();
        total = total == null ? sq : total.add(sq);
      }
      return total == null ? 0 : Math.sqrt(total.getFloat());
    }
  }

  /** Restores step count and RNG (checkpoint loading). */
  void restore(long steps, long[] rngState) {
    this.step = steps;
    this.rng = Rng.fromState(rngState);
  }

  /** Frees the optimizer and EMA state (the model stays). */
  public void close() {
    stateManager.close();
  }
}

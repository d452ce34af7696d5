package org.pdm.train.loop;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdm.model.nn.Module;
import org.pdm.model.train.Trainer;
import org.pdm.train.TrainSettings;
import org.pdm.train.data.Batch;
import org.pdm.train.data.BatchStream;
import org.pdm.train.output.CheckpointStore;
import org.pdm.train.output.LossPlot;
import org.pdm.train.output.MetricsLog;
import org.pdm.train.output.StepProgress;

/**
 * The training loop, top to bottom: stop if asked (checkpoint first) -> read the micro-batches ->
 * step (the {@link StepRunner}: model's Trainer on one device or data parallel, or the
 * autoencoder's generator and discriminator updates; lr, accumulate, clip, Adam, EMA, in a
 * StepScope) -> stop on a non-finite loss -> log -> validate -> sample -> checkpoint. Validation
 * and samples draw nothing from the trainer's generator and change no weight, so a run resumed from
 * a checkpoint trains on exactly the batches and random draws the uninterrupted run would have.
 *
 * <p>Validation uses the EMA weights when the run keeps an EMA (ema-decay above 0: they are what
 * pdm encode and pdm sample use), copied into a second model of the same config before each
 * validation; {@code val_weights} in metrics.jsonl says which ("ema" or "raw").
 */
public final class TrainLoop {
  private final Objective objective;
  private final StepRunner runner;
  private final Trainer trainer;
  private final Module emaModel;
  private final BatchStream train;
  private final List<Batch> validation;
  private final TrainSettings settings;
  private final Path out;
  private final CheckpointStore checkpoints;
  private final JsonObject driver;
  private final StopSignal stop;
  private final PrintStream err;

  /**
   * @param emaModel a model of the same config that validation loads the EMA weights into, or null
   *     to validate the trained weights themselves (a run without an EMA)
   * @param validation the held-out batches each validation reads (empty: no validation)
   * @param driver the settings recorded in each checkpoint
   */
  public TrainLoop(Objective objective, StepRunner runner, Module emaModel, BatchStream train,
      List<Batch> validation, TrainSettings settings, Path out, JsonObject driver, StopSignal stop,
      PrintStream err) {
    this.objective = objective;
    this.runner = runner;
    this.trainer = runner.trainer();
    this.emaModel = emaModel;
    this.train = train;
    this.validation = validation;
    this.settings = settings;
    this.out = out;
    this.checkpoints = new CheckpointStore(out, settings.keepLast());
    this.driver = driver;
    this.stop = stop;
    this.err = err;
  }

  /** Trains to {@code settings.steps()}; returns the step reached. */
  public long run() throws IOException {
    long first = trainer.step();
    long lastSaved = first;
    int accumulation = trainer.config().accumulation();
    StepProgress progress = new StepProgress(err, "train " + objective.name(), first, settings.steps());
    try (MetricsLog metrics = MetricsLog.open(out.resolve("metrics.jsonl"), first)) {
      while (trainer.step() < settings.steps()) {
        if (stop.requested()) {
          try {
            if (lastSaved != trainer.step() || !java.nio.file.Files.exists(checkpoints.latest())) {
              // No plot here: the JVM is shutting down, and AWT may not start its font machinery then.
              checkpoints.save(objective.config(), trainer, objective.scaler(), train.position(), driver,
                  runner.companions());
            }
            StoppedException stopped = new StoppedException(trainer.step(), checkpoints.latest().toString());
            // Said before the hook is released: the JVM may end as soon as it is.
            err.println("train " + objective.name() + ": " + stopped.getMessage());
            err.flush();
            throw stopped;
          } finally {
            stop.done();
          }
        }
        List<Batch> micro = new ArrayList<>(accumulation);
        for (int i = 0; i < accumulation; i++) {
          micro.add(train.next());
        }
        StepRunner.Step r = runner.step(micro);
        long step = trainer.step();
        if (!Double.isFinite(r.loss())) {
          List<String> ids = new ArrayList<>();
          micro.forEach(b -> ids.addAll(b.ids()));
          java.nio.file.Path last = checkpoints.latest();
          throw new NonFiniteLossException(step, r.loss(), ids,
              java.nio.file.Files.exists(last) ? last + " (step " + lastSaved + ")" : null);
        }
        if (step % settings.logEvery() == 0 || step == settings.steps()) {
          Map<String, Double> line = new LinkedHashMap<>();
          line.put("loss", r.loss());
          line.putAll(r.terms());
          line.put("grad_norm", r.gradNorm());
          line.put("lr", r.lr());
          line.put("epoch", (double) train.position().epoch());
          metrics.write(step, line);
          progress.update(step, r.loss(), accumulation * micro.get(0).size());
        }
        if (settings.validateEvery() > 0 && step % settings.validateEvery() == 0 && !validation.isEmpty()) {
          metrics.write(step, validate(), "val_weights", emaModel != null ? "ema" : "raw");
        }
        if (settings.sampleEvery() > 0 && step % settings.sampleEvery() == 0) {
          objective.writeSamples(out.resolve("samples").resolve(String.format("step-%09d.png", step)), step);
        }
        if (step % settings.checkpointEvery() == 0 || step == settings.steps()) {
          save(metrics);
          lastSaved = step;
        }
      }
      if (lastSaved != trainer.step()) {
        save(metrics); // a resumed run that had nothing left to do still leaves its final checkpoint
      }
    }
    return trainer.step();
  }

  /** The objective's validation metrics of the EMA weights (when kept) or of the trained ones. */
  private Map<String, Double> validate() {
    if (emaModel == null) {
      return objective.validate(validation, trainer.model());
    }
    trainer.ema().copyTo(emaModel);
    return objective.validate(validation, emaModel);
  }

  private void save(MetricsLog metrics) throws IOException {
    checkpoints.save(objective.config(), trainer, objective.scaler(), train.position(), driver,
        runner.companions());
    try {
      LossPlot.write(out.resolve("loss.png"), "pdm train " + objective.name(), metrics.lines());
    } catch (IOException | RuntimeException e) {
      err.println("train " + objective.name() + ": loss.png not drawn (" + e + "); training goes on");
    }
  }
}

package org.pdm.train.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pdm.model.nn.Module;
import org.pdm.model.train.DataParallelTrainer;
import org.pdm.model.train.LossFunction;
import org.pdm.model.train.Trainer;
import org.pdm.train.data.Batch;

/**
 * A step of the objective's loss on one device (model's {@link Trainer}) or data parallel over
 * several (model's {@link DataParallelTrainer}, one replica per device). Both take the batch's
 * per-sample random draws from the master trainer's generator before the step
 * ({@link Objective#shardLoss}), so that two replicas give one device's step on the same global
 * batch (dropout aside: its masks are drawn per replica).
 */
public final class ReplicaStep implements StepRunner {
  private final Objective objective;
  private final Trainer trainer;
  private final DataParallelTrainer parallel;
  private final List<Module> replicas;
  private Map<String, Trainer> companions = Map.of();

  /** One device. */
  public ReplicaStep(Objective objective, Trainer trainer) {
    this.objective = objective;
    this.trainer = trainer;
    this.parallel = null;
    this.replicas = List.of(trainer.model());
  }

  /** Data parallel: the master's trainer and one replica per further device. */
  public ReplicaStep(Objective objective, DataParallelTrainer parallel) {
    this.objective = objective;
    this.trainer = parallel.master();
    this.parallel = parallel;
    this.replicas = parallel.replicas();
  }

  @Override
  public Trainer trainer() {
    return trainer;
  }

  /**
   * The same step, with {@code companions} saved in every checkpoint though this step does not
   * train them (the autoencoder's discriminator before disc-start under data parallel).
   */
  public ReplicaStep keeping(Map<String, Trainer> companions) {
    this.companions = Map.copyOf(companions);
    return this;
  }

  @Override
  public Map<String, Trainer> companions() {
    return companions;
  }

  /** The number of replicas (1 on one device). */
  public int replicas() {
    return replicas.size();
  }

  @Override
  public Step step(List<Batch> microBatches) {
    StepTerms terms = new StepTerms();
    List<DataParallelTrainer.ShardLoss> shards = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (Batch b : microBatches) {
      shards.add(objective.shardLoss(b, trainer.rng(), replicas, terms));
      sizes.add(b.size());
    }
    Trainer.StepResult r;
    if (parallel == null) {
      List<LossFunction> losses = new ArrayList<>();
      for (int i = 0; i < shards.size(); i++) {
        DataParallelTrainer.ShardLoss s = shards.get(i);
        int size = sizes.get(i);
        losses.add(ctx -> s.apply(ctx, 0, 0, size));
      }
      r = trainer.step(losses);
    } else {
      r = parallel.step(sizes, shards);
    }
    Map<String, Double> sums = terms.sums();
    sums.replaceAll((k, v) -> v / microBatches.size());
    return new Step(r.loss(), r.gradNorm(), r.lr(), sums);
  }

  @Override
  public void close() {
    if (parallel != null) {
      parallel.close();
    }
  }
}

package org.pdm.train.loop;

import java.util.List;
import java.util.Map;
import org.pdm.model.train.Trainer;
import org.pdm.train.data.Batch;

/**
 * How the loop takes one optimizer step: on one device or data parallel ({@link ReplicaStep}), or
 * the autoencoder's generator and discriminator updates ({@link AdversarialStep}). The loop knows
 * only this; what a checkpoint saves is {@link #trainer()} and {@link #companions()}.
 */
public interface StepRunner extends AutoCloseable {
  /** What one step did: the total loss, the global gradient norm before clipping, the lr, the terms. */
  record Step(double loss, double gradNorm, double lr, Map<String, Double> terms) {}

  /** The trainer of the model being trained (on replica 0's device): step count, weights, EMA, Rng. */
  Trainer trainer();

  /** Further trainers whose whole state the checkpoint keeps, by name (the discriminator). */
  default Map<String, Trainer> companions() {
    return Map.of();
  }

  /** One optimizer step on {@code trainer().config().accumulation()} micro-batches. */
  Step step(List<Batch> microBatches);

  @Override
  default void close() {}
}

package org.pdm.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.nn.Tensors;

/**
 * Data parallel training on one host: one replica of the model per device, the master's
 * {@link Trainer} (replica 0) holding the optimizer, EMA, step count and {@link Rng}, so that a
 * checkpoint of {@link #master()} is an ordinary checkpoint. Per step: the global batch is split
 * into contiguous shards as equal as possible, each replica computes its shard's loss and gradients
 * in its own thread (its own {@link StepScope}; libtorch's grad mode is per thread), every shard's
 * loss weighted by its share of the batch; the replicas' gradients are added into the master's
 * (so the master holds the gradient of the mean over the whole batch), then the master clips,
 * takes one Adam step and updates the EMA, and its weights and buffers are copied to the replicas.
 *
 * <p>Equal to one device on the whole batch when the loss is a mean over samples and every random
 * draw of a sample is made on the master for the whole batch and sliced (draw from {@link #rng()}
 * before {@link #step}; {@code RectifiedFlow.draw} and {@code LatentPyramid.sample(NDList)} serve
 * this). Dropout masks are drawn inside the forward pass, from a generator split off the master's
 * per replica and step (without advancing the master's): with dropout the run is reproducible and
 * resumable but not equal to a one-device run. A {@link ShardLoss} runs on several threads at once:
 * it may read shared inputs but must not change them.
 */
public final class DataParallelTrainer implements AutoCloseable {
  /** A shard's loss: a mean over samples [from, to) of the global batch. */
  @FunctionalInterface
  public interface ShardLoss {
    /**
     * The loss of samples [from, to) computed by {@code replica}'s model (index into
     * {@link #replicas()}) in {@code ctx} (that replica's step manager, on its device).
     */
    NDArray apply(Ctx ctx, int replica, int from, int to);
  }

  private final Trainer master;
  private final List<Module> replicas;
  private final ExecutorService pool;

  /**
   * {@code master} trains replica 0; {@code others} are initialised models of the same config, one
   * per further device (their weights are overwritten with the master's here).
   */
  public DataParallelTrainer(Trainer master, List<? extends Module> others) {
    this.master = master;
    this.replicas = new ArrayList<>();
    replicas.add(master.model());
    replicas.addAll(others);
    for (Module r : others) {
      if (!r.parameters().keySet().equals(master.model().parameters().keySet())) {
        throw new IllegalArgumentException("replica " + r.getClass().getSimpleName()
            + " has other parameters than the master");
      }
    }
    this.pool = Executors.newFixedThreadPool(Math.max(1, others.size()), r -> {
      Thread t = new Thread(r, "pdm-data-parallel");
      t.setDaemon(true);
      return t;
    });
    broadcast();
  }

  /** The master's trainer (optimizer, EMA, step, Rng): what a checkpoint saves and resumes. */
  public Trainer master() {
    return master;
  }

  /** Replica 0 (the master's model) and the others, one per device. */
  public List<Module> replicas() {
    return List.copyOf(replicas);
  }

  /** The master's generator: draw the per-sample randomness of a step here, before {@link #step}. */
  public Rng rng() {
    return master.rng();
  }

  /** Devices of the replicas, in order. */
  public List<Device> devices() {
    List<Device> out = new ArrayList<>();
    for (Module r : replicas) {
      out.add(r.manager().getDevice());
    }
    return out;
  }

  /**
   * [from, to) of each replica's shard of a batch of {@code batch}: contiguous, sizes differing by
   * at most one, the larger first.
   */
  public static int[][] shards(int batch, int replicas) {
    if (batch < replicas) {
      throw new IllegalArgumentException("a global batch of " + batch + " cannot be split across "
          + replicas + " devices; use a batch of at least " + replicas + " or fewer devices");
    }
    int[][] out = new int[replicas][2];
    int from = 0;
    for (int r = 0; r < replicas; r++) {
      int size = batch / replicas + (r < batch % replicas ? 1 : 0);
      out[r][0] = from;
      out[r][1] = from + size;
      from += size;
    }
    return out;
  }

  /** One optimizer step on a global batch of {@code batch} samples. */
  public Trainer.StepResult step(int batch, ShardLoss loss) {
    return step(batch, List.of(loss));
  }

  /**
   * One optimizer step over {@code master().config().accumulation()} micro-batches of
   * {@code batch} samples each, every one split across the replicas.
   */
  public Trainer.StepResult step(int batch, List<ShardLoss> microBatches) {
    return step(java.util.Collections.nCopies(microBatches.size(), batch), microBatches);
  }

  /**
   * As {@link #step(int, List)} with a size per micro-batch (a driver's micro-batches can be
   * smaller where unreadable rows were left out); each is split across the replicas.
   */
  public Trainer.StepResult step(List<Integer> batches, List<ShardLoss> microBatches) {
    if (batches.size() != microBatches.size()) {
      throw new IllegalArgumentException(batches.size() + " batch sizes for " + microBatches.size()
          + " micro-batches");
    }
    List<LossFunction> fns = new ArrayList<>();
    for (int i = 0; i < microBatches.size(); i++) {
      ShardLoss l = microBatches.get(i);
      int batch = batches.get(i);
      int[][] shard = shards(batch, replicas.size());
      fns.add(ctx -> shardedLoss(ctx, l, shard, batch));
    }
    Trainer.StepResult r = master.step(fns, List.of(), this::gatherGradients);
    for (int i = 1; i < replicas.size(); i++) {
      Trainer.zeroGrads(replicas.get(i));
    }
    broadcast();
    return r;
  }

  /**
   * Runs replicas 1.. in the pool and replica 0 here; returns replica 0's weighted loss plus the
   * others' weighted values as a constant, so that the trainer reports the global mean.
   */
  private NDArray shardedLoss(Ctx ctx, ShardLoss loss, int[][] shard, int batch) {
    List<Future<Double>> others = new ArrayList<>();
    for (int i = 1; i < replicas.size(); i++) {
      int r = i;
      Rng rng = replicaRng(ctx.rng(), r);
      others.add(pool.submit(() -> replicaStep(r, rng, loss, shard[r], batch)));
    }
    NDArray own = Ops.scale(loss.apply(ctx, 0, shard[0][0], shard[0][1]),
        (double) (shard[0][1] - shard[0][0]) / batch);
    double rest = 0;
    for (Future<Double> f : others) {
      try {
        rest += f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replicas ran", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a replica's step failed: " + e.getCause(), e.getCause());
      }
    }
    return own.add((float) rest);
  }

  /**
   * Replica {@code r}'s dropout generator for this step, seeded from the master's state without
   * advancing it: the master's draws stay those of a one-device run, and a resumed run (the
   * master's state is in the checkpoint) gets the same replica generators.
   */
  private static Rng replicaRng(Rng master, int r) {
    long[] s = master.state();
    return new Rng(s[0] ^ Long.rotateLeft(s[1], 17) ^ s[2] ^ Long.rotateLeft(s[3], 45)
        ^ (r * 0x9E3779B97F4A7C15L));
  }

  /** Forward and backward of one replica's shard in its own scope; its weighted loss value. */
  private double replicaStep(int r, Rng rng, ShardLoss loss, int[] range, int batch) {
    Module model = replicas.get(r);
    try (StepScope scope = StepScope.open(model);
        Autograd g = Autograd.record()) {
      Ctx ctx = Ctx.train(scope.manager(), rng);
      NDArray l = Ops.scale(loss.apply(ctx, r, range[0], range[1]),
          (double) (range[1] - range[0]) / batch);
      Autograd.backward(l);
      return l.getFloat();
    }
  }

  /** Adds every replica's accumulated gradients into the master's (run inside the master's step). */
  private void gatherGradients() {
    Map<String, Param> mine = master.model().trainableParameters();
    try (Autograd g = Autograd.pause();
        NDManager tmp = master.model().manager().newSubManager()) {
      for (int i = 1; i < replicas.size(); i++) {
        Map<String, Param> theirs = replicas.get(i).trainableParameters();
        for (Map.Entry<String, Param> e : mine.entrySet()) {
          NDArray target = Autograd.grad(e.getValue().value());
          NDArray grad = Autograd.grad(theirs.get(e.getKey()).value());
          grad.attach(tmp); // a fresh handle; what derives from it lands in tmp
          target.addi(grad.toDevice(target.getDevice(), false));
          target.close();
        }
      }
    }
  }

  /** Copies the master's weights and buffers into every other replica. */
  private void broadcast() {
    Map<String, Param> src = master.model().parameters();
    for (int i = 1; i < replicas.size(); i++) {
      Module r = replicas.get(i);
      try (NDManager tmp = r.manager().newSubManager()) {
        for (Map.Entry<String, Param> e : r.parameters().entrySet()) {
          NDArray dst = e.getValue().value();
          NDArray from = src.get(e.getKey()).value();
          NDArray moved = from.getDevice().equals(dst.getDevice()) ? from
              : from.toDevice(dst.getDevice(), true);
          if (moved != from) {
            moved.attach(tmp);
          }
          Tensors.copyInto(moved, dst);
        }
      }
    }
  }

  /** Stops the replica threads (the models and the master's state stay). */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}

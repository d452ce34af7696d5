package org.pdm.train.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.pdm.model.Models;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.nn.Module;
import org.pdm.model.train.Trainer;
import org.pdm.model.unet.PyramidUNet;
import org.pdm.train.ObjectiveSettings;
import org.pdm.train.data.Batch;
import org.pdm.train.data.BatchStream;
import org.pdm.train.data.ParquetBatchStream;
import org.pdm.train.data.StreamPosition;
import org.pdm.train.data.TrainData;
import org.pdm.train.data.TrainDataConfig;
import org.pdm.train.loop.AutoencoderObjective;
import org.pdm.train.loop.FlowObjective;
import org.pdm.train.loop.Objective;
import org.pdm.train.loop.ReplicaStep;

/**
 * {@code pdm bench train}: the training step loop fed by the Parquet reader (generated rows written
 * as the stages write them) against the same loop, same fresh weights, on the same batches already in
 * memory. The ratio says how much of the reading and decoding the prefetching hides behind the
 * device; the time the step thread spent blocked waiting for a batch says how much of it was not
 * hidden at all (the rest of a gap is the decoding threads taking CPU from the step). The peak RSS
 * (VmHWM) is the process's, so measure one model per run.
 *
 * <p>Fairness on a shared machine: an untimed run on memory first warms the JIT, libtorch's
 * allocator and the thread pools (the first timed run otherwise pays for them), then the memory
 * run is timed before and after the Parquet run and averaged, which cancels a load that drifts
 * linearly over the measurement.
 */
public final class TrainBench {
  /**
   * What one run measured: steps/s from Parquet and from memory (the mean of the runs before and
   * after), the seconds the Parquet run's step thread waited for batches, the peak RSS.
   */
  public record Result(double parquetStepsPerSecond, double memoryStepsPerSecond, double dataWaitSeconds,
      double parquetSeconds, long peakRssBytes) {
    public double ratio() {
      return parquetStepsPerSecond / memoryStepsPerSecond;
    }

    /** Share of the Parquet run's timed wall time spent waiting for data. */
    public double waitShare() {
      return dataWaitSeconds / parquetSeconds;
    }
  }

  private TrainBench() {}

  public static Result run(ModelConfig model, int batch, int steps, int warmup, int rows, TrainDataConfig data,
      Path dir, PrintStream out) throws IOException {
    boolean ae = model instanceof AutoEncoderConfig;
    Path file = dir.resolve("data").resolve("part-0.parquet");
    Files.createDirectories(file.getParent());
    if (ae) {
      AutoEncoderConfig a = (AutoEncoderConfig) model;
      BenchData.images(file, rows, a.imageWidth(), a.imageHeight());
    } else {
      BenchData.latents(file, rows, ((UNetConfig) model).levels());
    }
    TrainData.Kind kind = ae ? TrainData.Kind.IMAGES : TrainData.Kind.LATENTS;
    Configuration hadoop = new Configuration();
    String path = file.getParent().toString();
    int total = warmup + steps;
    List<Batch> held = new ArrayList<>();
    try (ParquetBatchStream s = TrainData.open(hadoop, path, kind, data, batch, StreamPosition.start(0))) {
      for (int i = 0; i < total; i++) {
        held.add(s.next());
      }
    }
    timeSteps(model, new HeldBatches(held), Math.max(1, warmup), 0); // warms the JIT, allocator and pools
    Timing before = timeSteps(model, new HeldBatches(held), warmup, steps);
    Timing parquet;
    try (ParquetBatchStream s = TrainData.open(hadoop, path, kind, data, batch, StreamPosition.start(0))) {
      parquet = timeSteps(model, s, warmup, steps);
    }
    Timing after = timeSteps(model, new HeldBatches(held), warmup, steps);
    double memorySeconds = (before.seconds() + after.seconds()) / 2;
    return new Result(steps / parquet.seconds(), steps / memorySeconds, parquet.waitSeconds(), parquet.seconds(),
        peakRss());
  }

  /** A timed run: wall seconds of the timed steps and the part of it spent waiting in {@code next()}. */
  private record Timing(double seconds, double waitSeconds) {}

  /** {@code steps} timed steps after {@code warmup} untimed ones, fresh weights (seed 0). */
  private static Timing timeSteps(ModelConfig model, BatchStream stream, int warmup, int steps) throws IOException {
    try (NDManager base = NDManager.newBaseManager()) {
      Module m = Models.build(model);
      m.initialize(base.newSubManager(), 0);
      Trainer trainer = new Trainer(m, new ObjectiveSettings("bench", "", "", "", "", 1e-4, 0, 0.999, 1, 1, "l1",
          1e-6, 1, 100, "constant", "", 0, 0, 0, 0).trainConfig(0, warmup + steps));
      Objective objective = m instanceof PyramidAutoEncoder a
          ? new AutoencoderObjective(a, "l1", 1e-6, 0, List.of(), null)
          : new FlowObjective((PyramidUNet) m, new LatentScaler(((UNetConfig) model).levels().size()), 1, null);
      ReplicaStep step = new ReplicaStep(objective, trainer); // the driver's one-device step
      long start = System.nanoTime();
      long waited = 0;
      for (int i = 0; i < warmup + steps; i++) {
        if (i == warmup) {
          start = System.nanoTime();
          waited = 0;
        }
        long t = System.nanoTime();
        Batch b = stream.next();
        waited += System.nanoTime() - t;
        step.step(List.of(b));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      trainer.close();
      return new Timing(seconds, waited / 1e9);
    }
  }

  /** VmHWM of this process from /proc (Linux), -1 elsewhere. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The batches a Parquet stream gave, replayed from memory. */
  private static final class HeldBatches implements BatchStream {
    private final List<Batch> batches;
    private int next;

    HeldBatches(List<Batch> batches) {
      this.batches = batches;
    }

    @Override
    public Batch next() {
      return batches.get(next++);
    }

    @Override
    public StreamPosition position() {
      return new StreamPosition(0, 0, next);
    }

    @Override
    public org.pdm.train.data.BadRows badRows() {
      return new org.pdm.train.data.BadRows(0);
    }

    @Override
    public void close() {}
  }

}

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
 * <p>Fairness on a shared machine (other builds come and go): the two loops run side by side in
 * one process, each with its own fresh model (same seed), in alternating blocks of
 * {@link #BLOCK} steps (memory first in odd rounds, Parquet first in even ones), and each loop's
 * time is the sum of its blocks, so that a load that changes during the measurement hits both
 * alike and neither pays alone for the JIT's and the allocator's warm-up. A block is longer than
 * the default prefetch depth (4), so the batches the reader decodes while the other loop runs
 * help only a block's first steps.
 */
public final class TrainBench {
  /** Steps per block of the alternation. */
  static final int BLOCK = 5;

  /**
   * What one run measured: steps/s from Parquet and from memory, the seconds the Parquet loop's
   * step thread waited for batches (and the longest single wait), the peak RSS.
   */
  public record Result(double parquetStepsPerSecond, double memoryStepsPerSecond, double dataWaitSeconds,
      double parquetSeconds, double longestWaitSeconds, long peakRssBytes) {
    public double ratio() {
      return parquetStepsPerSecond / memoryStepsPerSecond;
    }

    /** Share of the Parquet loop's timed wall time spent waiting for data. */
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
    List<Batch> held = new ArrayList<>();
    try (ParquetBatchStream s = TrainData.open(hadoop, path, kind, data, batch, StreamPosition.start(0))) {
      for (int i = 0; i < warmup + steps; i++) {
        held.add(s.next());
      }
    }
    try (NDManager base = NDManager.newBaseManager();
        ParquetBatchStream s = TrainData.open(hadoop, path, kind, data, batch, StreamPosition.start(0))) {
      Loop parquet = new Loop(model, s, base);
      Loop memory = new Loop(model, new HeldBatches(held), base);
      parquet.run(warmup);
      memory.run(warmup);
      parquet.reset();
      memory.reset();
      for (int done = 0, round = 0; done < steps; done += BLOCK, round++) {
        int n = Math.min(BLOCK, steps - done);
        if (round % 2 == 0) {
          memory.run(n);
          parquet.run(n);
        } else {
          parquet.run(n);
          memory.run(n);
        }
      }
      return new Result(steps / parquet.seconds(), steps / memory.seconds(), parquet.waited / 1e9,
          parquet.seconds(), parquet.longest / 1e9, peakRss());
    }
  }

  /** One timed training loop: a fresh model (seed 0) on the driver's one-device step, fed by a stream. */
  private static final class Loop {
    private final BatchStream stream;
    private final ReplicaStep step;
    private long nanos;
    private long waited;
    private long longest;

    Loop(ModelConfig model, BatchStream stream, NDManager base) {
      this.stream = stream;
      Module m = Models.build(model);
      m.initialize(base.newSubManager(), 0);
      Trainer trainer = new Trainer(m, new ObjectiveSettings("bench", "", "", "", "", 1e-4, 0, 0.999, 1, 1, "l1",
          1e-6, 1, 100, "constant", "", 0, 0, 0, 0).trainConfig(0, 1));
      Objective objective = m instanceof PyramidAutoEncoder a
          ? new AutoencoderObjective(a, "l1", 1e-6, 0, List.of(), null)
          : new FlowObjective((PyramidUNet) m, new LatentScaler(((UNetConfig) model).levels().size()), 1, null);
      this.step = new ReplicaStep(objective, trainer); // the driver's one-device step
    }

    /** {@code n} steps, timed (wall time, and the time blocked in {@code next()}). */
    void run(int n) throws IOException {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        Batch b = stream.next();
        long w = System.nanoTime() - t;
        waited += w;
        longest = Math.max(longest, w);
        step.step(List.of(b));
      }
      nanos += System.nanoTime() - start;
    }

    void reset() {
      nanos = 0;
      waited = 0;
      longest = 0;
    }

    double seconds() {
      return nanos / 1e9;
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

package org.pdm.train.data;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.pdm.core.config.ConfigError;
import org.pdm.core.schema.ValidationSplit;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.WorkLayout;

/**
 * Opens the training data: preprocess's dataset ({@link Kind#IMAGES}) or encode's latent cache
 * ({@link Kind#LATENTS}), read with parquet-hadoop through Hadoop's FileSystem (no Spark session).
 * {@code path} is the stage's output folder (recognized by its manifest) or the data folder itself.
 */
public final class TrainData {
  private TrainData() {}

  /** What is read. */
  public enum Kind {
    /** The dataset: one tensor {@code [B, 3, H, W]} in [-1, 1]. */
    IMAGES(WorkLayout.PREPROCESS),
    /** The latent cache: one tensor per level {@code [B, C_i, H_i, W_i]}, level 0 first. */
    LATENTS(WorkLayout.LATENTS);

    private final WorkLayout.Folder folder;

    Kind(WorkLayout.Folder folder) {
      this.folder = folder;
    }

    /** The stage output this kind is read from. */
    public WorkLayout.Folder folder() {
      return folder;
    }
  }

  /**
   * The endless training stream, positioned at {@code start}: its first batch is the one an
   * uninterrupted stream gives after {@code start.batches()} batches of epoch {@code start.epoch()}.
   */
  public static ParquetBatchStream open(Configuration conf, String path, Kind kind, TrainDataConfig cfg,
      int batchSize, StreamPosition start) throws IOException {
    if (batchSize < 1) {
      throw new ConfigError("batch size " + batchSize + " must be at least 1");
    }
    if (start.epoch() < 0 || start.batches() < 0) {
      throw new IllegalArgumentException("stream position " + start + " is negative");
    }
    Path data = resolve(conf, path, kind);
    ExecutorService pool = pool(cfg.threads());
    try {
      DataIndex index = DataIndexer.scan(conf, data, kind, new ValidationSplit(cfg.validationFraction()), pool);
      long training = DataIndex.count(index.training());
      if (training < batchSize) {
        throw new ConfigError("input " + FileSystems.display(data) + " has " + training + " training rows ("
            + DataIndex.count(index.validation()) + " more held out by pdm.train.validation-fraction = "
            + cfg.validationFraction() + "), fewer than one batch of " + batchSize
            + ": lower the batch size or give more data");
      }
      long perEpoch = training / batchSize;
      if (start.batches() > perEpoch) {
        throw new IllegalArgumentException("stream position " + start + " is past the end of its epoch: "
            + FileSystems.display(data) + " gives " + perEpoch + " batches of " + batchSize + " per epoch (the data "
            + "or the batch size changed since that position was saved)");
      }
      StreamPosition at = start.batches() == perEpoch
          ? new StreamPosition(start.seed(), start.epoch() + 1, 0) : start;
      BadRows bad = new BadRows(cfg.maxBadRows());
      TrainingSource source = new TrainingSource(index, new RowGroupReader(conf, index.format()), batchSize,
          cfg.shuffleBuffer(), at);
      Prefetcher prefetcher = new Prefetcher(source, index.format(), pool, cfg.prefetchBatches(), bad,
          "pdm-train-data-reader");
      try {
        prefetcher.badBeforehand(index.trainingBad());
      } catch (RuntimeException e) {
        prefetcher.close();
        throw e;
      }
      return new ParquetBatchStream(index, prefetcher, bad, perEpoch, at);
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      throw e;
    }
  }

  /**
   * One pass over the validation split (core's ValidationSplit at {@code validation-fraction}), in a
   * fixed order, in batches of {@code batchSize} (the last one holds the rest); empty with no split.
   */
  public static ValidationBatches validation(Configuration conf, String path, Kind kind, TrainDataConfig cfg,
      int batchSize) throws IOException {
    if (batchSize < 1) {
      throw new ConfigError("batch size " + batchSize + " must be at least 1");
    }
    Path data = resolve(conf, path, kind);
    ExecutorService pool = pool(cfg.threads());
    try {
      DataIndex index = DataIndexer.scan(conf, data, kind, new ValidationSplit(cfg.validationFraction()), pool);
      BadRows bad = new BadRows(cfg.maxBadRows());
      Prefetcher prefetcher = new Prefetcher(new ValidationSource(index, new RowGroupReader(conf, index.format()),
          batchSize), index.format(), pool, cfg.prefetchBatches(), bad, "pdm-validation-data-reader");
      try {
        prefetcher.badBeforehand(index.validationBad());
      } catch (RuntimeException e) {
        prefetcher.close();
        throw e;
      }
      return new ValidationBatches(prefetcher, bad, DataIndex.count(index.validation()));
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      throw e;
    }
  }

  /** The data folder for {@code path}: the stage output's data folder when it is one, else {@code path}. */
  static Path resolve(Configuration conf, String path, Kind kind) throws IOException {
    Path p = new Path(path);
    var fs = FileSystems.forPath(p, conf);
    p = fs.makeQualified(p);
    return StageInputs.data(fs, p, kind.folder(), "train", kind == Kind.IMAGES
        ? "preprocess's output folder or its dataset/ folder" : "encode's output folder or its latents/ folder");
  }

  private static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "pdm-train-data-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return Executors.newFixedThreadPool(threads, factory);
  }
}

package org.pdm.eval.fid;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.schema.FeatureSchema;
import org.pdm.core.schema.SampleSchema;
import org.pdm.eval.sample.LatentScaling;
import org.pdm.eval.sample.SampleConfig;
import org.pdm.eval.sample.SampleJob;

/**
 * The fake side of an FID drawn from a flow checkpoint: batch numbers spread over partitions as
 * {@code pdm sample} spreads them, {@link SampleFeaturesTask}s draw, decode and extract features in
 * the same task, and only the features are written ({@link FeatureSchema} Parquet); with
 * {@code keep-samples} the PNGs also go to a folder in {@code pdm sample}'s layout. Its statistics are
 * then merged by {@link FeatureJob#moments} like any side's.
 */
public final class GeneratedFeatures {
  /** Feature rows with what a sample row adds: index, NFE and (kept) PNG. */
  static final StructType ROWS = FeatureSchema.FEATURES
      .add("index", DataTypes.LongType, false)
      .add("nfe", DataTypes.IntegerType, false)
      .add("image", DataTypes.BinaryType, true);

  private GeneratedFeatures() {}

  /** What to draw: the two checkpoints (checked against each other) and how. */
  public record Plan(SampleJob.Models models, SampleConfig sample, boolean keep) {
    /** Resolves and checks the checkpoints on the driver, before Spark work. */
    public static Plan of(Configuration hadoop, GenerateConfig g, String flow, String autoencoder) throws Exception {
      return new Plan(SampleJob.models(hadoop, g.sample(), flow, autoencoder), g.sample(), g.keepSamples());
    }
  }

  /**
   * Seconds of the time split: sampling, decoding, feature extraction (resize included) and PNG
   * encoding (kept samples only) summed over tasks, each measured while the task held the model it
   * used; and the wall time of the whole job.
   */
  public record Times(double sample, double decode, double features, double png, double wall) {}

  /**
   * What a run drew and extracted; {@code drawn} counts the samples the tasks drew (more than
   * {@code samples} only when Spark reran a task).
   */
  public record Result(long samples, long features, Map<String, Long> rejects, double nfeMean, int nfeMin,
      int nfeMax, double[] divisors, int partitions, Times times, long drawn) {}

  /**
   * Draws the plan's samples and writes their features to {@code features}; with {@code plan.keep()}
   * also {@code kept}/images/, grid.png and stats.json as {@code pdm sample} writes them.
   */
  public static Result extract(SparkSession spark, Plan plan, DetectorSource detector, FidConfig c, String features,
      FileSystem fs, Path kept, boolean showProgress) throws Exception {
    SampleConfig s = plan.sample();
    SampleJob.Models m = plan.models();
    int parts = SampleJob.partitions(spark, s);
    double[] divisors = LatentScaling.divisors(m.flow(), m.unet().levels().size());
    var sc = spark.sparkContext();
    SampleFeaturesTask.Meters meters = new SampleFeaturesTask.Meters(sc.longAccumulator("fid samples"),
        sc.longAccumulator("sample ns"), sc.longAccumulator("decode ns"), sc.longAccumulator("features ns"),
        sc.longAccumulator("png ns"));
    SampleFeaturesTask task = new SampleFeaturesTask(m.flow(), m.autoencoder(), s.sampler(), s.seed(), s.count(),
        s.batchSize(), divisors, detector, c.mode(), c.inputSize(), c.batchSize(), plan.keep(), meters);
    // spark.range slices [0, batches) into contiguous runs, one per partition, as pdm sample does
    var batches = spark.range(0, SampleJob.batches(s), 1, parts).javaRDD();
    // Kept once, read by the writes below: the features, the NFE summary and the kept PNGs.
    Dataset<Row> rows = spark.createDataFrame(batches.mapPartitions(task), ROWS)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long t0 = System.nanoTime();
      try (SparkProgress p = SparkProgress.start(spark, "sample + features", s.count(), meters.done(),
          Duration.ofMillis(500), showProgress)) {
        rows.select("id", "features", "reason", "details").write().parquet(features);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      Row nfe = rows.agg(count("nfe"), avg("nfe"), min("nfe"), max("nfe")).first();
      Map<String, Long> rejects = new TreeMap<>();
      long extracted = 0;
      for (Row r : rows.groupBy("reason").count().collectAsList()) {
        if (r.isNullAt(0)) {
          extracted = r.getLong(1);
        } else {
          rejects.put(r.getString(0), r.getLong(1));
        }
      }
      if (plan.keep()) {
        Dataset<Row> images = rows.select(col("id"), col("image"), lit(DatasetSchema.PNG), lit(m.ae().imageWidth()),
            lit(m.ae().imageHeight()), col("index"), lit(s.seed()), lit(s.sampler().label()), col("nfe"));
        spark.createDataFrame(images.javaRDD(), SampleSchema.SAMPLES).write()
            .parquet(new Path(kept, "images").toString());
        SampleJob.summarize(spark, fs, kept, s, m, parts, wall, divisors);
      }
      Times times = new Times(meters.sampleNanos().value() / 1e9, meters.decodeNanos().value() / 1e9,
          meters.featureNanos().value() / 1e9, meters.pngNanos().value() / 1e9, wall);
      return new Result(nfe.getLong(0), extracted, rejects, nfe.getDouble(1), nfe.getInt(2), nfe.getInt(3), divisors,
          parts, times, meters.done().value());
    } finally {
      rows.unpersist();
    }
  }
}

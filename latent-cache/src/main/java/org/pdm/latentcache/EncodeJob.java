package org.pdm.latentcache;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.spark.ParquetRows;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.stage.StageContext;
import org.pdm.core.stage.StageManifest;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.StageWork;
import org.pdm.core.stage.WorkLayout;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.executor.CheckpointFiles;
import org.pdm.model.train.Checkpoint;

/**
 * {@code pdm encode} as a Spark job: the dataset's rows go through {@link PartitionEncoder} tasks,
 * whose files land in a staging folder; the driver then moves the files of successful task attempts
 * into {@code latents/} and {@code rejects/} (so a retried task's ids appear once), merges the tasks'
 * {@link LatentStats} into {@code latent-stats.json} and commits the output with its manifest.
 *
 * <pre>
 * out/
 *   latents/*.parquet      id, z0..zN (LatentSchema), key-value metadata pdm.latent.*
 *   rejects/*.parquet      id, reason (undecodable, wrong-size, encode-failed), details
 *   latent-stats.json      per level and channel: count, mean, std, min, max (+ sums for merging)
 *   _manifest.json         configuration with the layout (shapes, dtype, checkpoint and its hash)
 * </pre>
 *
 * A rerun with the same checkpoint and settings and a dataset that grew encodes only the new ids and
 * adds their files ({@link StageOutput#append}); another checkpoint or setting builds a new cache.
 */
public final class EncodeJob {
  static final String STATS = "latent-stats.json";
  /** Manifest timings summed over tasks (prefix {@code tasks.}): inside the encoder, waiting for it, waiting for input. */
  static final String TASK_ENCODER = "tasks.encoder";
  static final String TASK_ENCODER_WAIT = "tasks.encoder-wait";
  static final String TASK_INPUT_WAIT = "tasks.input-wait";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EncodeJob() {}

  /** What a run decides before any work: inputs, weights and the spec that its manifest records. */
  private record Plan(EncodeInputs in, String checkpoint, String hash, boolean ema, LatentSchema.Layout layout,
      ObjectNode spec, StageSpec stageSpec) {}

  private static Plan plan(org.apache.hadoop.conf.Configuration hadoop, EncodeConfig c, String dataset,
      String autoencoder) throws java.io.IOException {
    EncodeInputs in = EncodeInputs.resolve(hadoop, dataset, autoencoder);
    String checkpoint = in.checkpoint().toString();
    String hash = CheckpointFiles.hash(hadoop, checkpoint);
    java.nio.file.Path local = CheckpointFiles.local(hadoop, checkpoint, hash);
    ModelConfig model = Checkpoint.config(local);
    if (!(model instanceof AutoEncoderConfig ae)) {
      throw new StagePathException("autoencoder " + checkpoint + " holds a "
          + model.getClass().getSimpleName() + " checkpoint: encode needs an autoencoder's");
    }
    boolean ema = c.ema().equals("auto") ? Checkpoint.step(local) > 0 : Boolean.parseBoolean(c.ema());
    LatentSchema.Layout layout = layout(ae, c, checkpoint, hash);
    // What decides the cache's content; batch size and partitions do not change it.
    ObjectNode spec = JSON.createObjectNode();
    spec.put("dtype", c.dtype().label());
    spec.put("posterior", c.posterior());
    spec.put("ema", ema);
    spec.set("layout", JSON.valueToTree(layout.metadata()));
    StageSpec stageSpec = new StageSpec(WorkLayout.LATENTS.stage(), JSON.writeValueAsString(spec),
        List.of(in.dataset().toString()));
    return new Plan(in, checkpoint, hash, ema, layout, spec, stageSpec);
  }

  /** What decides the cache: the weights (by hash), the layout, dtype and the dataset's files. */
  public static StageSpec spec(org.apache.hadoop.conf.Configuration hadoop, PdmConfig config, String dataset,
      String autoencoder) throws java.io.IOException {
    return plan(hadoop, EncodeConfig.from(config), dataset, autoencoder).stageSpec();
  }

  public static StageResult run(SparkSession spark, PdmConfig config, String dataset, String autoencoder, String out,
      boolean force) throws Exception {
    EncodeConfig c = EncodeConfig.from(config);
    var hadoop = spark.sparkContext().hadoopConfiguration();
    Plan plan = plan(hadoop, c, dataset, autoencoder);
    EncodeInputs in = plan.in();
    String checkpoint = plan.checkpoint();
    String hash = plan.hash();
    boolean ema = plan.ema();
    LatentSchema.Layout layout = plan.layout();
    ObjectNode spec = plan.spec();
    StageSpec stageSpec = plan.stageSpec();
    StageOutput output = StageOutput.at(hadoop, out);
    StageManifest existing = output.manifest();
    boolean append = !force && existing != null && existing.finishedAt() != null
        && spec.equals(existing.config());
    var progress = config.settings("progress");
    EncoderSource source = new EncoderSource(checkpoint, hash, ema, new SerializableConfiguration(hadoop));
    StageWork work = ctx -> encode(spark, ctx, c, in.dataset(), source, layout,
        append ? existing : null, progress.bool("enabled"),
        progress.duration("interval", Duration.ofMillis(200), Duration.ofMinutes(10)));
    return append ? output.append(stageSpec, false, (fs, o) -> false, work) : output.run(stageSpec, force, work);
  }

  static LatentSchema.Layout layout(AutoEncoderConfig ae, EncodeConfig c, String checkpoint, String hash) {
    List<LatentSchema.Level> levels = new ArrayList<>();
    for (LevelSpec l : ae.latents()) {
      levels.add(new LatentSchema.Level(l.channels(), l.height(), l.width()));
    }
    boolean logvar = c.posterior() && ae.bottleneck() == AutoEncoderConfig.Bottleneck.KL;
    return new LatentSchema.Layout(levels, c.dtype(), logvar, checkpoint, hash, ae.imageHeight(), ae.imageWidth());
  }

  private static void encode(SparkSession spark, StageContext ctx, EncodeConfig c, Path dataset,
      EncoderSource source, LatentSchema.Layout layout, StageManifest previous, boolean showProgress,
      Duration interval) throws Exception {
    FileSystem fs = ctx.fs();
    Path latents = new Path(ctx.dir(), "latents");
    Path rejects = new Path(ctx.dir(), WorkLayout.REJECTS);
    deleteStaging(fs, ctx.dir()); // left by an interrupted incremental run
    Dataset<Row> todo = ctx.timed("open", () -> {
      Dataset<Row> input = spark.read().parquet(dataset.toString()).select("id", "image", "format", "width", "height");
      return previous == null ? input : input.join(doneIds(spark, fs, latents, rejects),
          input.col("id").equalTo(col("done_id")), "left_anti");
    });
    // A fresh cache encodes every row: the footers say how many, without a Spark job.
    long total = ctx.timed("list", () -> previous == null ? ParquetRows.count(fs.getConf(),
        Arrays.stream(todo.inputFiles()).map(Path::new).toList()) : todo.count());
    LatentStats stats = new LatentStats(layout.levels());
    if (previous != null && fs.exists(new Path(ctx.dir(), STATS))) {
      try (InputStream is = fs.open(new Path(ctx.dir(), STATS))) {
        stats = LatentStats.fromJson(JSON.readTree(is), layout.levels());
      }
    }
    long encoded = 0;
    Map<String, Long> byReason = new TreeMap<>();
    long retries = 0;
    long[] taskNanos = new long[3];
    if (total > 0) {
      // One task keeps the device busy (PartitionEncoder pipelines its batches), so the input's own
      // partitions do unless there are fewer than cores: a shuffle moves and sorts every image's bytes.
      int target = c.partitions() > 0 ? c.partitions()
          : (int) Math.max(1, Math.min(total, spark.sparkContext().defaultParallelism()));
      Dataset<Row> parts = todo.rdd().getNumPartitions() < target ? todo.repartition(target) : todo;
      String run = UUID.randomUUID().toString().substring(0, 8);
      Path staging = new Path(ctx.dir(), ".staging-" + run);
      LongAccumulator done = spark.sparkContext().longAccumulator("encode rows");
      PartitionEncoder task = new PartitionEncoder(source, layout, c.batchSize(), staging.toString(), run, done);
      List<PartitionEncoder.Result> results;
      try (SparkProgress p = SparkProgress.start(spark, "encode", total, done, interval, showProgress)) {
        results = ctx.timed("encode", () -> parts.javaRDD().mapPartitions(task).collect());
      }
      long committing = System.nanoTime();
      fs.mkdirs(latents);
      fs.mkdirs(rejects);
      for (PartitionEncoder.Result r : results) {
        move(fs, new Path(staging, "latents"), latents, r.latentFile());
        move(fs, new Path(staging, "rejects"), rejects, r.rejectFile());
        encoded += r.encoded();
        r.rejects().forEach((k, v) -> byReason.merge(k, v, Long::sum));
        stats.merge(r.stats());
        retries += r.retries();
        taskNanos[0] += r.encoderNanos();
        taskNanos[1] += r.encoderWaitNanos();
        taskNanos[2] += r.inputWaitNanos();
      }
      // Summed over tasks (task-seconds, not wall time): how busy the encoder was and what tasks waited for.
      ctx.time(TASK_ENCODER, taskNanos[0] / 1e9);
      ctx.time(TASK_ENCODER_WAIT, taskNanos[1] / 1e9);
      ctx.time(TASK_INPUT_WAIT, taskNanos[2] / 1e9);
      fs.delete(staging, true);
      ctx.time("commit", (System.nanoTime() - committing) / 1e9);
    }
    fs.mkdirs(latents);
    try (OutputStream os = fs.create(new Path(ctx.dir(), STATS), true)) {
      JSON.writeValue(os, stats.toJson(JSON));
    }
    long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
    long before = previous == null ? 0 : previous.counts().getOrDefault("cached", 0L);
    ctx.count("input", total);
    ctx.count("encoded", encoded);
    ctx.count("rejected", rejected);
    byReason.forEach((k, v) -> ctx.count("rejected." + k, v));
    ctx.count("cached", before + encoded);
    ctx.count("device-retries", retries);
  }

  /** Ids already in the cache or rejected by it: an incremental run skips them. */
  private static Dataset<Row> doneIds(SparkSession spark, FileSystem fs, Path latents, Path rejects)
      throws IOException {
    Dataset<Row> ids = null;
    for (Path p : List.of(latents, rejects)) {
      if (fs.exists(p) && fs.listStatus(p, f -> f.getName().endsWith(".parquet")).length > 0) {
        Dataset<Row> d = spark.read().parquet(p.toString()).select(col("id").as("done_id"));
        ids = ids == null ? d : ids.union(d);
      }
    }
    return ids != null ? ids : spark.emptyDataFrame().selectExpr("cast(null as string) as done_id").limit(0);
  }

  private static void move(FileSystem fs, Path from, Path to, String name) throws IOException {
    if (name != null && !fs.rename(new Path(from, name), new Path(to, name))) {
      throw new IOException("could not move " + name + " from " + from + " to " + to);
    }
  }

  private static void deleteStaging(FileSystem fs, Path dir) throws IOException {
    FileStatus[] old = fs.globStatus(new Path(dir, ".staging-*"));
    if (old != null) {
      for (FileStatus s : old) {
        fs.delete(s.getPath(), true);
      }
    }
  }
}

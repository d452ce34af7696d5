package org.pdm.eval.sample;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.schema.SampleSchema;
import org.pdm.core.stage.StageContext;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.UNetConfig;

/**
 * {@code pdm sample} as a Spark job: batch numbers spread over partitions, {@link SampleTask}s draw and
 * decode them on the executors, the rows go to Parquet; then the driver summarizes the NFE and draws
 * the grid from what was written.
 *
 * <pre>
 * out/
 *   images/*.parquet   id, image (PNG), format, width, height (as a dataset), index, seed, sampler, nfe
 *   grid.png           the first pdm.sample.grid samples
 *   stats.json         count, sampler, NFE mean/min/max, seconds, samples/s, checkpoints, scaling
 *   _manifest.json     the configuration (checkpoint hashes, sampler, seed, count, batch size)
 * </pre>
 */
public final class SampleJob {
  static final String STATS = "stats.json";
  static final String GRID = "grid.png";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SampleJob() {}

  /** The two checkpoints, resolved, hashed and checked against each other. */
  public record Models(ModelSource flow, ModelSource autoencoder, UNetConfig unet, AutoEncoderConfig ae) {}

  /** Resolves, hashes and checks the two checkpoints (before Spark work: a mistake stops with the fix). */
  public static Models models(org.apache.hadoop.conf.Configuration hadoop, SampleConfig c, String flow,
      String autoencoder) throws IOException {
    Path f = CheckpointInput.resolve(hadoop, flow, "--flow", WorkLayout.FLOW, "sample", "unet-tiny");
    Path a = CheckpointInput.resolve(hadoop, autoencoder, "--autoencoder", WorkLayout.AUTOENCODER, "sample",
        "autoencoder-tiny");
    ModelSource fs = ModelSource.of(hadoop, f.toString(), c.ema());
    ModelSource as = ModelSource.of(hadoop, a.toString(), c.ema());
    ModelConfig fc = fs.config();
    ModelConfig ac = as.config();
    if (!(fc instanceof UNetConfig unet)) {
      throw new StagePathException("--flow " + f + " holds a " + fc.getClass().getSimpleName() + " checkpoint: "
          + "sample needs a flow (UNet) checkpoint there, such as pdm model init --config unet-tiny writes");
    }
    if (!(ac instanceof AutoEncoderConfig ae)) {
      throw new StagePathException("--autoencoder " + a + " holds a " + ac.getClass().getSimpleName()
          + " checkpoint: sample needs an autoencoder there, such as pdm model init --config autoencoder-tiny writes");
    }
    if (!unet.levels().equals(ae.latents())) {
      throw new StagePathException("the flow " + f + " makes latents " + unet.levels() + " but the autoencoder " + a
          + " decodes " + ae.latents() + ": give the autoencoder whose latent cache the flow was trained on");
    }
    return new Models(fs, as, unet, ae);
  }

  public static StageResult run(SparkSession spark, PdmConfig config, String flow, String autoencoder, String out,
      boolean force) throws Exception {
    SampleConfig c = SampleConfig.from(config);
    var hadoop = spark.sparkContext().hadoopConfiguration();
    Models m = models(hadoop, c, flow, autoencoder);
    var progress = config.settings("progress");
    boolean show = progress.bool("enabled");
    Duration interval = progress.duration("interval", Duration.ofMillis(200), Duration.ofMinutes(10));
    return StageOutput.at(hadoop, out).run(spec(c, m), force, ctx -> sample(spark, ctx, c, m, show, interval));
  }

  /** What a run would record in its manifest, without Spark: for pdm pipeline's plan and pdm status. */
  public static StageSpec spec(org.apache.hadoop.conf.Configuration hadoop, PdmConfig config, String flow,
      String autoencoder)
      throws IOException {
    SampleConfig c = SampleConfig.from(config);
    return spec(c, models(hadoop, c, flow, autoencoder));
  }

  private static StageSpec spec(SampleConfig c, Models m) throws IOException {
    // What decides the images; partitions and the grid size do not.
    ObjectNode spec = JSON.createObjectNode();
    spec.put("flow", m.flow().checkpoint());
    spec.put("flow_sha256", m.flow().hash());
    spec.put("autoencoder", m.autoencoder().checkpoint());
    spec.put("autoencoder_sha256", m.autoencoder().hash());
    spec.put("ema", c.ema());
    spec.put("sampler", c.sampler().label());
    spec.put("seed", c.seed());
    spec.put("count", c.count());
    spec.put("batch_size", c.batchSize());
    spec.put("grid", c.grid());
    return new StageSpec(WorkLayout.SAMPLES.stage(), JSON.writeValueAsString(spec), List.of());
  }

  private static void sample(SparkSession spark, StageContext ctx, SampleConfig c, Models m, boolean show,
      Duration interval) throws Exception {
    long batches = batches(c);
    int parts = partitions(spark, c);
    int width = m.ae().imageWidth();
    int height = m.ae().imageHeight();
    LongAccumulator done = spark.sparkContext().longAccumulator("samples");
    double[] divisors = LatentScaling.divisors(m.flow(), m.unet().levels().size());
    SampleTask task = new SampleTask(m.flow(), m.autoencoder(), c.sampler(), c.seed(), c.count(), c.batchSize(),
        width, height, divisors, done);
    // spark.range slices [0, batches) into contiguous runs, one per partition
    JavaRDD<Long> ids = spark.range(0, batches, 1, parts).javaRDD();
    String images = ctx.path("images");
    long start = System.nanoTime();
    try (SparkProgress p = SparkProgress.start(spark, "sample", c.count(), done, interval, show)) {
      ctx.timed("sample", () -> {
        spark.createDataFrame(ids.mapPartitions(task), SampleSchema.SAMPLES).write().parquet(images);
        return null;
      });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Row nfe = summarize(spark, ctx.fs(), ctx.dir(), c, m, parts, seconds, divisors);
    long written = nfe.getLong(0);
    ctx.count("samples", written);
    ctx.count("nfe.min", nfe.getInt(2));
    ctx.count("nfe.max", nfe.getInt(3));
    ctx.count("partitions", parts);
  }

  /** Batches of a run: {@code ceil(count / batch-size)}. */
  public static long batches(SampleConfig c) {
    return (c.count() + c.batchSize() - 1) / c.batchSize();
  }

  /** Partitions of a run: {@code pdm.sample.partitions}, or two per core; never more than batches. */
  public static int partitions(SparkSession spark, SampleConfig c) {
    return (int) Math.max(1, Math.min(batches(c), c.partitions() > 0 ? c.partitions()
        : 2L * spark.sparkContext().defaultParallelism()));
  }

  /**
   * What {@code pdm sample} writes beside {@code dir/images/}: grid.png and stats.json; checks that
   * {@code c.count()} samples were written. Returns the NFE summary row (count, mean, min, max).
   * Also used by {@code pdm eval fid --keep-samples}, whose kept samples have this same layout.
   */
  public static Row summarize(SparkSession spark, org.apache.hadoop.fs.FileSystem fs, Path dir, SampleConfig c,
      Models m, int parts, double seconds, double[] divisors) throws java.io.IOException {
    String images = new Path(dir, "images").toString();
    int width = m.ae().imageWidth();
    int height = m.ae().imageHeight();
    Row nfe = spark.read().parquet(images).agg(count("nfe"), avg("nfe"), min("nfe"), max("nfe")).first();
    long written = nfe.getLong(0);
    if (written != c.count()) {
      throw new IllegalStateException("wrote " + written + " samples, expected " + c.count());
    }
    int shown = (int) Math.min(c.grid(), c.count());
    if (shown > 0) {
      List<byte[]> pngs = new ArrayList<>(shown);
      for (Row r : spark.read().parquet(images).where(col("index").lt(shown)).orderBy("index").select("image")
          .collectAsList()) {
        pngs.add(r.getAs(0));
      }
      try (OutputStream os = fs.create(new Path(dir, GRID), true)) {
        ImageIO.write(SampleGrid.of(pngs, width, height), "png", os);
      }
    }
    ObjectNode stats = JSON.createObjectNode();
    stats.put("count", written);
    stats.put("sampler", c.sampler().label());
    stats.put("seed", c.seed());
    stats.put("batch_size", c.batchSize());
    stats.put("partitions", parts);
    ObjectNode n = stats.putObject("nfe");
    n.put("mean", nfe.getDouble(1));
    n.put("min", nfe.getInt(2));
    n.put("max", nfe.getInt(3));
    stats.put("seconds", seconds);
    stats.put("samples_per_second", written / seconds);
    stats.put("width", width);
    stats.put("height", height);
    stats.put("ema", c.ema());
    stats.put("flow", m.flow().checkpoint());
    stats.put("flow_sha256", m.flow().hash());
    stats.put("autoencoder", m.autoencoder().checkpoint());
    stats.put("autoencoder_sha256", m.autoencoder().hash());
    stats.set("latent_divisors", JSON.valueToTree(divisors));
    try (OutputStream os = fs.create(new Path(dir, STATS), true)) {
      JSON.writeValue(os, stats);
    }
    return nfe;
  }
}

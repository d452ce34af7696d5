package org.pdm.core.synth;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;

/**
 * {@code pdm synth} as a Spark job: the driver plans every image from the seed, executors paint and
 * encode them in parallel and write them to {@code <out>/images/}, and the driver writes the two
 * source manifests. The output folder is committed atomically with its manifest.
 */
public final class SynthJob {
  private SynthJob() {}

  /** One written image, as reported back to the driver. */
  public record Written(SynthItem item, long bytes) implements java.io.Serializable {}

  /** What decides synth's output: its section of the configuration (it reads nothing). */
  public static StageSpec spec(PdmConfig config) {
    return new StageSpec(WorkLayout.SYNTH.stage(), config.sectionJson("synth"), List.of());
  }

  public static StageResult run(SparkSession spark, PdmConfig config, String out, boolean force) throws Exception {
    SynthConfig c = SynthConfig.from(config);
    var progress = config.settings("progress");
    StageOutput output = StageOutput.at(spark.sparkContext().hadoopConfiguration(), out);
    return output.run(spec(config), force, ctx -> {
      List<SynthItem> plan = SynthPlan.of(c);
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int partitions = c.partitions() > 0 ? c.partitions() : Math.min(plan.size(), 2 * jsc.defaultParallelism());
      var hadoop = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
      String images = ctx.path("images");
      LongAccumulator done = spark.sparkContext().longAccumulator("synth images");
      List<Written> written;
      try (SparkProgress p = SparkProgress.start(spark, "synth", plan.size(), done,
          progress.duration("interval", java.time.Duration.ofMillis(200), java.time.Duration.ofMinutes(10)),
          progress.bool("enabled"))) {
        written = ctx.timed("generate", () -> jsc.parallelize(plan, partitions)
            .mapPartitions((Iterator<SynthItem> items) -> paintAll(items, images, hadoop, c.jpegQuality(), done))
            .collect());
      }
      written = new ArrayList<>(written);
      written.sort(Comparator.comparingInt(w -> w.item().index()));
      SynthManifests.write(ctx.fs(), ctx.dir(), plan, c.urlStyle(), ctx.finalDir(), c.seed());
      ctx.count("images", written.size());
      ctx.count("jpeg", written.stream().filter(w -> w.item().format().equals("jpeg")).count());
      ctx.count("png", written.stream().filter(w -> w.item().format().equals("png")).count());
      ctx.count("off-spec", written.stream().filter(w -> !w.item().offSpec().isEmpty()).count());
      ctx.count("bytes", written.stream().mapToLong(Written::bytes).sum());
    });
  }

  private static Iterator<Written> paintAll(Iterator<SynthItem> items, String dir, SerializableConfiguration hadoop,
      float quality, LongAccumulator done) throws Exception {
    Path folder = new Path(dir);
    FileSystem fs = FileSystems.forPath(folder, hadoop.value());
    List<Written> out = new ArrayList<>();
    while (items.hasNext()) {
      SynthItem it = items.next();
      byte[] bytes = ImageEncoder.encode(Painter.forKind(it.kind()).paint(it.width(), it.height(), it.seed()),
          it.format(), quality);
      try (OutputStream os = fs.create(new Path(folder, it.fileName()), true)) {
        os.write(bytes);
      }
      out.add(new Written(it, bytes.length));
      done.add(1);
    }
    return out.iterator();
  }
}

package org.pdm.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.ingest.download.Reasons;
import org.pdm.ingest.source.MetadataFilter;
import org.pdm.ingest.source.SourceItem;
import org.pdm.ingest.source.SourceReader;
import org.pdm.ingest.write.RejectSchema;

/**
 * {@code pdm ingest} as a Spark job: wires a {@link SourceReader}, the {@link MetadataFilter}, the
 * {@link DownloadTask}s (an {@link ItemProcessor} and a pending writer each) and the
 * {@link PendingCommit}.
 *
 * <p>The output folder grows by the files each run commits into {@code raw/} and {@code rejects/}
 * (see {@link PendingCommit} for the layout); the filtered rejects are recomputed by every run. A run:
 * <ol>
 *   <li>reads the sources, marks rows with a repeated id and those the metadata filters reject;</li>
 *   <li>leaves out every id already stored or rejected while downloading, by an earlier run or by
 *       the checkpoints ({@code pending/}) of an interrupted one;</li>
 *   <li>downloads the rest in Spark tasks, each writing checkpoint files into {@code pending/};</li>
 *   <li>commits the pending files (its own and any left by an interrupted run),
 *       storing exact duplicates (same sha256) once, and writes {@code stats.json}.</li>
 * </ol>
 * The lock, recovery, skip test and manifest are {@link StageOutput#append}'s: a rerun with the same
 * configuration and unchanged inputs (and no checkpoints left) is skipped; {@code --force} builds a
 * new output from scratch beside the old one and swaps it in.
 */
public final class IngestJob {
  static final String STAGE = WorkLayout.INGEST.stage();
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private IngestJob() {}

  /** The output folder from the configuration: {@code pdm.ingest.out}, or the work folder's {@code ingest/}. */
  public static String outDir(PdmConfig config, IngestConfig c) {
    return c.out().isEmpty() ? WorkLayout.of(config).dir(WorkLayout.INGEST) : c.out();
  }

  /** What decides ingest's output: its configuration and the files of its sources. */
  public static StageSpec spec(Configuration hadoop, PdmConfig config) throws java.io.IOException {
    return spec(hadoop, config, sourceInputs(hadoop, IngestConfig.from(config)));
  }

  private static StageSpec spec(Configuration hadoop, PdmConfig config, List<String> inputs)
      throws java.io.IOException {
    return new StageSpec(STAGE, config.sectionJson(STAGE), checkInputs(hadoop, inputs));
  }

  public static StageResult run(SparkSession spark, PdmConfig config, boolean force) throws Exception {
    IngestConfig c = IngestConfig.from(config);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<String> inputs = sourceInputs(hadoop, c);
    StageSpec spec = spec(hadoop, config, inputs);
    // Checkpoints of an interrupted run are finished even when nothing else changed.
    return StageOutput.at(hadoop, outDir(config, c)).append(spec, force, PendingCommit::hasPending, ctx -> {
      IngestRun run = new IngestRun(spark, config, c, inputs, ctx.fs(), ctx.dir(), newRunId());
      run.execute();
      run.counts().forEach(ctx::count);
      run.timings().forEach(ctx::time);
    });
  }

  /**
   * The paths to read: the inputs as given, except a stage output folder (known by its manifest).
   * pdm synth's stands for its files of this source; any other stage's output is refused before
   * Spark starts, so that no manifest, stats or Parquet of ours is read as a source.
   */
  public static List<String> sourceInputs(Configuration hadoop, IngestConfig c) throws java.io.IOException {
    Map<String, String> synthFiles = Map.of("files", WorkLayout.SYNTH.data(), "flickr", WorkLayout.SYNTH_FLICKR,
        "unsplash", WorkLayout.SYNTH_UNSPLASH);
    List<String> paths = new ArrayList<>();
    for (String in : c.inputs()) {
      Path p = new Path(in);
      FileSystem fs = p.getFileSystem(hadoop);
      String stage = in.matches(".*[*?\\[{].*") || !fs.exists(p) ? null : StageInputs.stageOf(fs, p);
      String file = WorkLayout.SYNTH.stage().equals(stage) ? synthFiles.get(c.source()) : null;
      if (stage != null && file == null) {
        throw new StagePathException("input " + in + " holds the output of " + stage + ": ingest --source "
            + c.source() + " reads manifests, URL lists or folders of images (and pdm synth's output for "
            + "files, flickr and unsplash)");
      }
      paths.add(stage == null ? in : new Path(p, file).toString());
    }
    return paths;
  }

  /** Each input must match something; globs are kept as given (Spark expands them). */
  public static List<String> checkInputs(Configuration hadoop, List<String> inputs) throws java.io.IOException {
    List<String> checked = new ArrayList<>();
    for (String in : inputs) {
      Path p = new Path(in);
      FileSystem fs = p.getFileSystem(hadoop);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new ConfigError("pdm.ingest.inputs: " + in + " matches no file or folder; check the path (globs such as "
            + "photos.tsv* are allowed)");
      }
      checked.add(fs.makeQualified(p).toString());
    }
    return checked;
  }

  static Column[] columns(String[] names) {
    return java.util.Arrays.stream(names).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  static String newRunId() {
    return RUN_ID.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** One run over one output folder. */
  static final class IngestRun {
    private final SparkSession spark;
    private final PdmConfig pdm;
    private final IngestConfig c;
    private final List<String> inputs;
    private final FileSystem fs;
    private final Path out;
    private final String runId;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Double> timings = new LinkedHashMap<>();

    IngestRun(SparkSession spark, PdmConfig pdm, IngestConfig c, List<String> inputs, FileSystem fs, Path out,
        String runId) {
      this.spark = spark;
      this.pdm = pdm;
      this.c = c;
      this.inputs = inputs;
      this.fs = fs;
      this.out = out;
      this.runId = runId;
    }

    Map<String, Long> counts() {
      return counts;
    }

    Map<String, Double> timings() {
      return timings;
    }

    void execute() throws Exception {
      long t0 = System.nanoTime();
      Instant started = Instant.now();
      PendingCommit commit = new PendingCommit(spark, fs, out, runId);
      commit.recover();
      long resumed = commit.pendingRows();

      SourceReader reader = SourceReader.forSource(c.source(), c.urlBase(), c.urls(), c.flickrUrlColumns(),
          c.filesGlobFilter());
      Dataset<Row> items = reader.read(spark, inputs);
      MetadataFilter filter = new MetadataFilter(c.filter());
      Column reason = udf((UDF6<String, String, Integer, Integer, String, String, String>) filter::reason,
          DataTypes.StringType).apply(col("source"), col("url"), col("width"), col("height"), col("license"), col("media"));
      Column rank = row_number().over(Window.partitionBy("id").orderBy(col("url").asc_nulls_last(), col("source_id")));
      Dataset<Row> marked = items.withColumn("__rank", rank).withColumn("__repeat", col("__rank").gt(1))
          // A row without URL says so first: blank rows, which all share one placeholder id, are not
          // "duplicate-id" of each other.
          .withColumn("reason", when(col("__rank").gt(1).and(col("url").isNotNull()), lit(Reasons.DUPLICATE_ID))
              .otherwise(reason))
          .drop("__rank").persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long total = marked.count();
        counts.put("items", total);
        counts.put("skipped-blank-lines", reader.blankLines(spark, inputs)); // the files read, not the folders given
        timings.put("read", (System.nanoTime() - t0) / 1e9);

        Dataset<Row> doneIds = commit.storedIds().union(commit.downloadRejectIds()).distinct();
        long t1 = System.nanoTime();
        // A row that repeats an id is rejected whatever became of the id's first row. Any other row
        // whose id an earlier run stored or rejected while downloading keeps that outcome (download
        // rejects are final), even when a filter changed since: one outcome per item.
        Dataset<Row> open = marked.filter(col("__repeat").equalTo(false))
            .join(doneIds, marked.col("id").equalTo(doneIds.col("id")), "left_anti");
        Dataset<Row> filtered = marked.filter(col("__repeat")).unionByName(open.filter(col("reason").isNotNull()));
        long filteredCount = commit.replaceFiltered(filtered.select(col("id"), col("source"), col("source_id"),
            col("url"), col("reason"),
            udf((UDF7<String, String, String, Integer, Integer, String, String, String>) MetadataFilter::detail,
                DataTypes.StringType).apply(col("reason"), col("source"), col("url"), col("width"), col("height"),
                col("license"), col("media")).as("detail"),
            lit(null).cast("int").as("http_status"), lit(RejectSchema.PHASE_METADATA).as("phase"),
            lit(runId).as("run_id"), current_timestamp().as("rejected_at")));
        counts.put("filtered", filteredCount);

        Dataset<Row> pending = open.filter(col("reason").isNull()).select(columns(SourceItem.SCHEMA.fieldNames()));
        long toFetch = pending.count();
        counts.put("already-done", total - filteredCount - toFetch);
        counts.put("resumed", resumed);
        counts.put("downloaded", toFetch);
        timings.put("plan", (System.nanoTime() - t1) / 1e9);

        TaskReport report = new TaskReport();
        long t2 = System.nanoTime();
        if (toFetch > 0) {
          report = download(pending, toFetch);
        }
        double downloadSeconds = (System.nanoTime() - t2) / 1e9;
        timings.put("download", downloadSeconds);

        long t3 = System.nanoTime();
        PendingCommit.Result committed = commit.commit();
        timings.put("commit", (System.nanoTime() - t3) / 1e9);
        counts.put("stored", committed.stored());
        counts.put("rejected", committed.rejected());
        counts.put("duplicates", committed.duplicates());
        counts.put("bytes-stored", committed.bytes());
        counts.put("images-total", commit.totalImages());
        double seconds = (System.nanoTime() - t0) / 1e9;
        timings.put("total", seconds);
        IngestStats.write(fs, out, runId, c, started, counts, timings, report, downloadSeconds);
      } finally {
        marked.unpersist();
      }
    }

    private TaskReport download(Dataset<Row> pending, long toFetch) throws Exception {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int partitions = c.partitions() > 0 ? c.partitions()
          : (int) Math.max(2L * jsc.defaultParallelism(), Math.min(100_000, (toFetch + 499) / 500));
      partitions = (int) Math.max(1, Math.min(partitions, toFetch));
      LongAccumulator done = spark.sparkContext().longAccumulator("ingest items");
      var hadoop = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
      DownloadTask task = new DownloadTask(c, PendingCommit.pendingDir(out).toString(), runId, hadoop, done);
      var progress = pdm.settings("progress");
      List<TaskReport> reports;
      try (SparkProgress p = SparkProgress.start(spark, "ingest", toFetch, done,
          progress.duration("interval", Duration.ofMillis(200), Duration.ofMinutes(10)), progress.bool("enabled"))) {
        reports = pending.repartition(partitions, col("id")).toJavaRDD().mapPartitions(task).collect();
      }
      TaskReport all = new TaskReport();
      reports.forEach(all::merge);
      return all;
    }
  }
}

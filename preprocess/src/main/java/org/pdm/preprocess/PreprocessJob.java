package org.pdm.preprocess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.schema.RawImageSchema;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageContext;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.preprocess.decode.PixelConverter;
import org.pdm.preprocess.image.RgbImage;
import org.pdm.preprocess.quality.Measures;

/**
 * {@code pdm preprocess} as a Spark job. Executors run an {@link ImageProcessor} over their share of
 * the input (one per task) and write every outcome to a work table; near-duplicates are then found
 * across the whole table ({@link NearDuplicates}); the kept images are written sorted by id, the
 * rejects beside them, then {@code stats.json} and {@code contact-sheet.png}. The output folder is
 * committed atomically with its manifest, and skipped when configuration and input are unchanged.
 *
 * <pre>
 * out/
 *   dataset/*.parquet      kept images (PreprocessSchema.DATASET), sorted by id
 *   rejects/*.parquet      id, reason, details (PreprocessSchema.REJECTS), sorted by id
 *   stats.json             counts by reason, timings
 *   contact-sheet.png      first outputs and first rejects, with reasons
 *   _manifest.json         the stage manifest
 * </pre>
 */
public final class PreprocessJob {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PreprocessJob() {}

  /** What decides preprocess's output: its configuration and the input it resolves {@code in} to. */
  public static StageSpec spec(org.apache.hadoop.conf.Configuration hadoop, PdmConfig config, String in)
      throws java.io.IOException {
    return spec(config, PreprocessInput.resolve(hadoop, in, PreprocessConfig.from(config).inputFormat()));
  }

  private static StageSpec spec(PdmConfig config, PreprocessInput source) {
    return new StageSpec(WorkLayout.PREPROCESS.stage(), specJson(config), List.of(source.path()));
  }

  /**
   * The section's configuration, plus, with {@code native = auto}, which native codecs this JVM
   * resolved where they change the output's bytes: libturbojpeg's DCT-scaled JPEGs differ from the
   * JDK path's pixels, libdeflate's PNG bytes from zlib's (same pixels; raw and JPEG output do not
   * depend on it). Installing or removing a library thus redoes the stage; libdeflate's PNG inflate
   * gives the JDK's pixels exactly and does not count.
   */
  static String specJson(PdmConfig config) {
    String section = config.sectionJson("preprocess");
    PreprocessConfig c = PreprocessConfig.from(config);
    if (c.nativeMode().equals("off")) {
      return section;
    }
    var codecs = org.pdm.preprocess.natives.NativeCodecs.forMode(c.nativeMode());
    try {
      var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(section);
      tree.put("native-resolved", "jpeg " + (codecs.jpeg() != null ? "libturbojpeg" : "jdk")
          + (c.encoder().format().equals("png") ? ", png deflate " + (codecs.deflate() != null ? "libdeflate" : "jdk") : ""));
      return new ObjectMapper().writeValueAsString(tree);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static StageResult run(SparkSession spark, PdmConfig config, String in, String out, boolean force)
      throws Exception {
    PreprocessConfig c = PreprocessConfig.from(config);
    var hadoop = spark.sparkContext().hadoopConfiguration();
    // What to read and how, decided before any Spark work: ingest's output stands for its raw/.
    PreprocessInput source = PreprocessInput.resolve(hadoop, in, c.inputFormat());
    StageOutput output = StageOutput.at(hadoop, out);
    StageSpec spec = spec(config, source);
    var progress = config.settings("progress");
    return output.run(spec, force, ctx -> {
      Map<String, Double> timings = new LinkedHashMap<>();
      Dataset<Row> input = InputReader.read(spark, source);
      long total = step(ctx, timings, "list", input::count);
      int target = c.partitions() > 0 ? c.partitions()
          : (int) Math.max(1, Math.min(total, 4L * spark.sparkContext().defaultParallelism()));
      if (input.rdd().getNumPartitions() < target) {
        input = input.repartition(target);
      }
      LongAccumulator done = spark.sparkContext().longAccumulator("preprocess images");
      CodecCounts codecCounts = new CodecCounts(spark);
      String work = ctx.path("work-candidates"); // deleted before the commit
      Dataset<Row> processing = input.mapPartitions(new Process(c, done, codecCounts), Encoders.row(PreprocessSchema.CANDIDATES));
      try (SparkProgress p = SparkProgress.start(spark, "preprocess", total, done,
          progress.duration("interval", Duration.ofMillis(200), Duration.ofMinutes(10)), progress.bool("enabled"))) {
        step(ctx, timings, "process", () -> {
          processing.write().parquet(work);
          return null;
        });
      }
      Dataset<Row> candidates = spark.read().parquet(work);
      Dataset<Row> passed = candidates.where(col("reason").isNull());
      List<NearDuplicates.Duplicate> dups = c.filters().dedupe()
          ? step(ctx, timings, "dedupe", () -> NearDuplicates.find(passed, c.filters().dedupeDistance()))
          : List.of();
      List<Row> dupRows = new ArrayList<>();
      for (NearDuplicates.Duplicate d : dups) {
        dupRows.add(RowFactory.create(d.id(), Reasons.DUPLICATE, "near-duplicate of " + d.keptId() + " (hash distance "
            + d.distance() + " bits), which was kept"));
      }
      Dataset<Row> dupDf = spark.createDataFrame(dupRows, PreprocessSchema.REJECTS);
      Dataset<Row> kept = passed.join(dupDf.select("id"), passed.col("id").equalTo(dupDf.col("id")), "left_anti");
      String dataset = ctx.path("dataset");
      String rejectsDir = ctx.path("rejects");
      step(ctx, timings, "write", () -> {
        var w = kept.select(columns(PreprocessSchema.DATASET)).orderBy("id").write()
            .option("parquet.block.size", Long.toString(c.rowGroupBytes()));
        if (c.encoder().format().equals(DatasetSchema.RAW)) {
          // Raw pixels are compressed by Parquet itself (zstd-jni, level 3): lossless, and fast to read.
          w = w.option("compression", "zstd");
        }
        if (c.rowsPerFile() > 0) {
          w = w.option("maxRecordsPerFile", Integer.toString(c.rowsPerFile()));
        }
        w.parquet(dataset);
        candidates.where(col("reason").isNotNull()).select(col("id"), col("reason"), col("details"))
            .unionByName(dupDf).orderBy("id").coalesce(1).write().parquet(rejectsDir);
        return null;
      });
      Dataset<Row> finalRejects = spark.read().schema(PreprocessSchema.REJECTS).parquet(rejectsDir);
      Map<String, Long> byReason = new TreeMap<>();
      for (Row r : finalRejects.groupBy("reason").count().collectAsList()) {
        byReason.put(r.getString(0), r.getLong(1));
      }
      long keptCount = spark.read().parquet(dataset).count();
      long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
      Row ms = candidates.selectExpr("sum(millis)", "count(*)").first();
      ctx.count("input", total);
      ctx.count("kept", keptCount);
      ctx.count("rejected", rejected);
      byReason.forEach((k, v) -> ctx.count("rejected." + k, v));
      step(ctx, timings, "contact-sheet", () -> {
        writeContactSheet(spark, c, ctx, spark.read().parquet(dataset), finalRejects, source);
        return null;
      });
      ctx.fs().delete(new Path(work), true);
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("preset", c.geometry().name());
      stats.put("output_size", c.geometry().width() + "x" + c.geometry().height());
      stats.put("input", total);
      stats.put("kept", keptCount);
      stats.put("rejected", rejected);
      stats.put("rejected_by_reason", byReason);
      stats.put("timings_s", timings);
      stats.put("codecs", codecCounts.stats(c));
      ctx.count("native.jpeg-decodes", codecCounts.jpegNative.value());
      ctx.count("native.jpeg-to-jdk", codecCounts.jpegFallback.value());
      ctx.count("native.png-inflates", codecCounts.pngNative.value());
      stats.put("image_ms_mean", ms.isNullAt(0) || ms.getLong(1) == 0 ? 0 : ms.getDouble(0) / ms.getLong(1));
      try (OutputStream os = ctx.fs().create(new Path(ctx.dir(), "stats.json"), true)) {
        os.write(JSON.writeValueAsBytes(stats));
      }
    });
  }

  private static org.apache.spark.util.SerializableConfiguration hadoopConf(SparkSession spark) {
    return new org.apache.spark.util.SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
  }

  private static <T> T step(StageContext ctx, Map<String, Double> timings, String name, Callable<T> work)
      throws Exception {
    long start = System.nanoTime();
    try {
      return ctx.timed(name, work);
    } finally {
      timings.merge(name, Math.round((System.nanoTime() - start) / 1e6) / 1000.0, Double::sum);
    }
  }

  private static org.apache.spark.sql.Column[] columns(org.apache.spark.sql.types.StructType schema) {
    org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[schema.fields().length];
    for (int i = 0; i < cols.length; i++) {
      var f = schema.fields()[i];
      cols[i] = col(f.name()).as(f.name(), f.metadata());
    }
    return cols;
  }

  /** What the executors' codecs did: JPEGs decoded by libturbojpeg or left to the JDK, PNGs inflated by libdeflate. */
  static final class CodecCounts implements java.io.Serializable {
    final LongAccumulator jpegNative;
    final LongAccumulator jpegFallback;
    final LongAccumulator pngNative;

    CodecCounts(SparkSession spark) {
      jpegNative = spark.sparkContext().longAccumulator("preprocess native jpeg");
      jpegFallback = spark.sparkContext().longAccumulator("preprocess jpeg to jdk");
      pngNative = spark.sparkContext().longAccumulator("preprocess native png");
    }

    void add(ImageProcessor p) {
      jpegNative.add(p.nativeJpegDecodes());
      jpegFallback.add(p.nativeJpegFallbacks().values().stream().mapToLong(Long::longValue).sum());
      pngNative.add(p.nativePngDecodes());
    }

    /** For stats.json: the setting, what the driver's JVM resolved, and the executors' counts. */
    Map<String, Object> stats(PreprocessConfig c) {
      var codecs = org.pdm.preprocess.natives.NativeCodecs.forMode(c.nativeMode());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("native", c.nativeMode());
      m.put("jpeg_decoding", codecs.jpegStatus());
      m.put("png_deflate", codecs.deflateStatus());
      m.put("jpeg_decoded_native", jpegNative.value());
      m.put("jpeg_left_to_jdk", jpegFallback.value());
      m.put("png_inflated_native", pngNative.value());
      return m;
    }
  }

  /** Runs the {@link ImageProcessor} over one partition, lazily (one output image in memory at a time). */
  static final class Process implements MapPartitionsFunction<Row, Row> {
    private final PreprocessConfig config;
    private final LongAccumulator done;
    private final CodecCounts codecCounts;

    Process(PreprocessConfig config, LongAccumulator done, CodecCounts codecCounts) {
      this.config = config;
      this.done = done;
      this.codecCounts = codecCounts;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      ImageProcessor processor = new ImageProcessor(config);
      String format = config.encoder().format();
      return new Iterator<>() {
        private boolean counted;

        @Override
        public boolean hasNext() {
          boolean more = rows.hasNext();
          if (!more && !counted) {
            counted = true; // the partition is done: its codec counts, once
            codecCounts.add(processor);
          }
          return more;
        }

        @Override
        public Row next() {
          Row r = rows.next();
          ImageProcessor.Outcome o = processor.process(r.getString(0), r.isNullAt(1) ? null : r.getAs(1));
          done.add(1);
          int[] box = o.cropBox();
          return RowFactory.create(o.id(), o.reason(), o.details(), o.image(), o.kept() ? format : null,
              o.kept() ? o.width() : null, o.kept() ? o.height() : null, o.originalWidth(), o.originalHeight(),
              box != null ? box[0] : null, box != null ? box[1] : null, box != null ? box[2] : null,
              box != null ? box[3] : null, o.orientation(), o.sourceFormat(), o.sourceProfile(), o.sharpness(),
              o.phash(), o.millis());
        }
      };
    }
  }

  private static void writeContactSheet(SparkSession spark, PreprocessConfig c, StageContext ctx, Dataset<Row> dataset,
      Dataset<Row> rejects, PreprocessInput source) throws Exception {
    int size = c.thumbSize();
    List<ContactSheet.Tile> kept = new ArrayList<>();
    if (c.sheetKept() > 0) {
      // The first ids alone, then their rows: the dataset is sorted by id, so the id filter reads only
      // the first row groups (Parquet statistics) instead of every image.
      Object[] firstIds = dataset.select("id").orderBy("id").limit(c.sheetKept()).collectAsList().stream()
          .map(r -> r.getString(0)).toArray();
      for (Row r : dataset.where(col("id").isin(firstIds))
          .select("id", "image", "original_width", "original_height", "format", "width", "height").orderBy("id")
          .collectAsList()) {
        RgbImage thumb;
        try {
          // Every format (png, jpeg, raw) through the one decoder the dataset's readers use.
          int w = r.getInt(5);
          int h = r.getInt(6);
          byte[] hwc = DatasetImages.rgb(r.getAs(1), r.getString(4), w, h);
          int[] px = new int[w * h];
          for (int i = 0, o = 0; i < px.length; i++, o += 3) {
            px[i] = (hwc[o] & 255) << 16 | (hwc[o + 1] & 255) << 8 | (hwc[o + 2] & 255);
          }
          thumb = Measures.shrink(new RgbImage(w, h, px), size);
        } catch (DatasetImages.BadImageException e) {
          thumb = null;
        }
        kept.add(new ContactSheet.Tile(thumb, r.getString(0), r.getInt(2) + "x" + r.getInt(3)));
      }
    }
    List<ContactSheet.Tile> rejected = new ArrayList<>();
    if (c.sheetRejects() > 0) {
      List<Row> first = rejects.orderBy("id").limit(c.sheetRejects()).collectAsList();
      Map<String, RgbImage> thumbs = new HashMap<>();
      if (!first.isEmpty()) {
        Object[] ids = first.stream().map(r -> r.getString(0)).toArray();
        String root = InputReader.imagesRoot(spark, source);
        var conf = hadoopConf(spark);
        // Image files are read by path (a listing-free job over these few files); raw Parquet is
        // filtered by id (row groups whose id statistics exclude them are skipped).
        Dataset<Row> sample = root == null
            ? InputReader.read(spark, source).where(col("id").isin(ids))
            : spark.createDataset(java.util.Arrays.stream(ids).map(String::valueOf).toList(), Encoders.STRING())
                .map((org.apache.spark.api.java.function.MapFunction<String, Row>) id -> RowFactory.create(id,
                    InputReader.readFile(root + id, conf)), Encoders.row(Thumbs.INPUT));
        for (Row t : sample.mapPartitions(new Thumbs(c), Encoders.row(Thumbs.SCHEMA)).collectAsList()) {
          var img = t.isNullAt(1) ? null : ImageIO.read(new ByteArrayInputStream(t.getAs(1)));
          if (img != null) {
            thumbs.put(t.getString(0), PixelConverter.toRgb(img));
          }
        }
      }
      for (Row r : first) {
        rejected.add(new ContactSheet.Tile(thumbs.get(r.getString(0)), r.getString(0),
            r.getString(1) + (r.isNullAt(2) ? "" : ": " + r.getString(2))));
      }
    }
    byte[] png = ContactSheet.render("preprocess " + c.geometry().name(), kept, rejected, size);
    try (OutputStream os = ctx.fs().create(new Path(ctx.dir(), "contact-sheet.png"), true)) {
      os.write(png);
    }
  }

  /** Thumbnails of inputs (for rejects on the contact sheet), as small PNGs. */
  static final class Thumbs implements MapPartitionsFunction<Row, Row> {
    static final org.apache.spark.sql.types.StructType SCHEMA = new org.apache.spark.sql.types.StructType()
        .add("id", "string").add("thumb", "binary");
    static final org.apache.spark.sql.types.StructType INPUT = new org.apache.spark.sql.types.StructType()
        .add("id", "string").add("image", "binary");
    private final PreprocessConfig config;

    Thumbs(PreprocessConfig config) {
      this.config = config;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
      ImageProcessor processor = new ImageProcessor(config);
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        RgbImage t = r.isNullAt(1) ? null : processor.thumbnail(r.getAs(1), config.thumbSize());
        out.add(RowFactory.create(r.getString(0),
            t == null ? null : org.pdm.preprocess.encode.PngEncoder.encode(t, 1)));
      }
      return out.iterator();
    }
  }

  /**
   * Reads the input as (id, image) rows: ingest's raw Parquet, or image files under a folder or glob;
   * which of the two was decided before Spark started ({@link PreprocessInput}).
   */
  static final class InputReader {
    private InputReader() {}

    static Dataset<Row> read(SparkSession spark, PreprocessInput source) throws Exception {
      String in = source.path();
      if (source.raw()) {
        return spark.read().parquet(in).select(col(RawImageSchema.ID).as("id"), col(RawImageSchema.IMAGE).as("image"));
      }
      String prefix = imagesRoot(spark, source);
      // Spark lists the files but we read them (readFile): its reader would drop zero-byte files
      // without a trace and fail the job on a name Hadoop's checksum layer cannot parse.
      Dataset<Row> listed = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(in)
          .select(col("path"));
      List<Row> empty = new ArrayList<>();
      for (FileStatus f : org.pdm.core.spark.EmptyFiles.of(listed)) {
        empty.add(RowFactory.create(f.getPath().toString()));
      }
      var conf = hadoopConf(spark);
      return listed.unionByName(spark.createDataFrame(empty, listed.schema())).select(
          org.apache.spark.sql.functions.when(col("path").startsWith(prefix),
              col("path").substr(lit(prefix.length() + 1), lit(Integer.MAX_VALUE))).otherwise(col("path")).as("id"),
          col("path"))
          .map((org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> RowFactory.create(r.getString(0),
              readFile(r.getString(1), conf)), Encoders.row(Thumbs.INPUT));
    }

    /** The qualified folder (ending in /) that image ids are relative to, or null for raw Parquet. */
    static String imagesRoot(SparkSession spark, PreprocessInput source) throws Exception {
      if (source.raw()) {
        return null;
      }
      Path path = new Path(source.path());
      FileSystem fs = FileSystems.forPath(path, spark.sparkContext().hadoopConfiguration());
      String root = fs.makeQualified(globRoot(path)).toString();
      return root.endsWith("/") ? root : root + "/";
    }

    /** A whole file's bytes, or null when it cannot be read. */
    static byte[] readFile(String path, org.apache.spark.util.SerializableConfiguration conf) {
      try (var in = open(path, conf)) {
        return in.readAllBytes();
      } catch (java.io.IOException | IllegalArgumentException e) { // unreadable, or a name that is no path
        return null;
      }
    }

    private static java.io.InputStream open(String path, org.apache.spark.util.SerializableConfiguration conf)
        throws java.io.IOException {
      Path p = new Path(path);
      return org.pdm.core.spark.WholeFiles.of(p, conf.value()).open(p);
    }

    /** The folder above the first path component with a glob character. */
    static Path globRoot(Path p) {
      Path root = p;
      for (Path q = p; q != null; q = q.getParent()) {
        if (q.getName().matches(".*[*?\\[{].*")) {
          root = q.getParent();
        }
      }
      return root;
    }
  }
}

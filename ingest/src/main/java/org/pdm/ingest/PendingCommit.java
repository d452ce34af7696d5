package org.pdm.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.pdm.core.schema.RawImageSchema;
import org.pdm.core.spark.ParquetRows;
import org.pdm.ingest.download.Reasons;
import org.pdm.ingest.write.PendingWriter;
import org.pdm.ingest.write.RawFiles;
import org.pdm.ingest.write.RejectSchema;

/**
 * The output folder's committed files and pending checkpoints, and the commit that turns the second
 * into the first. Committed files lie flat in {@code raw/} and {@code rejects/}, so that
 * {@code spark.read().parquet("<out>/raw")} reads them all (Spark reads no sub-folder that is not a
 * {@code key=value} partition, and a partition would add a column to the raw schema):
 *
 * <pre>
 * out/raw/raw-&lt;run&gt;-p&lt;task&gt;-a&lt;attempt&gt;-&lt;n&gt;.parquet  images stored (RawImageSchema)
 * out/rejects/&lt;run&gt;-part-*.parquet                   items a run could not store, with reasons
 * out/rejects/filtered-&lt;run&gt;-part-*.parquet          items the metadata filters reject (replaced by each run)
 * out/pending/raw-*.parquet, rejects-*.parquet        checkpoints written by download tasks, not committed yet
 * </pre>
 *
 * A commit writes the run's rejects, then moves each checkpoint of images into {@code raw/} by a
 * rename (or, when some of its rows are duplicates, copies the rest to a hidden file and renames
 * that), then deletes the checkpoints. Every file appears whole. Every step can be repeated: rows
 * whose id is already committed are dropped, so a commit that died half-way is finished by the next
 * run. A reader that lists {@code raw/} during the few renames of a commit may see part of that
 * run's files (never part of a file); a reader scheduled after the run sees all of it.
 */
final class PendingCommit {
  static final String PENDING = "pending";

  /** What a commit added: rows stored and rejected (duplicates among them), bytes stored. */
  record Result(long stored, long rejected, long duplicates, long bytes) {}

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path out;
  private final String runId;

  PendingCommit(SparkSession spark, FileSystem fs, Path out, String runId) {
    this.spark = spark;
    this.fs = fs;
    this.out = out;
    this.runId = runId;
  }

  static Path pendingDir(Path out) {
    return new Path(out, PENDING);
  }

  static boolean hasPending(FileSystem fs, Path out) throws IOException {
    return !files(fs, pendingDir(out), "*.parquet").isEmpty();
  }

  /** Deletes what crashed tasks and commits left half-done, keeping every complete checkpoint. */
  void recover() throws IOException {
    fs.mkdirs(pendingDir(out));
    for (Path dir : List.of(pendingDir(out), new Path(out, "raw"), new Path(out, "rejects"))) {
      for (Path p : files(fs, dir, ".*.tmp")) {
        fs.delete(p, true);
      }
    }
  }

  long pendingRows() throws IOException {
    return rowCount(files(fs, pendingDir(out), "*.parquet"));
  }

  /** Rows in Parquet files, from their footers (no Spark job). */
  private long rowCount(List<Path> files) throws IOException {
    return ParquetRows.count(fs.getConf(), files);
  }

  /** Ids stored: committed or in checkpoints. */
  Dataset<Row> storedIds() throws IOException {
    return committedRaw().select("id")
        .union(read(RawImageSchema.SCHEMA, files(fs, pendingDir(out), PendingWriter.RAW_PREFIX + "-*.parquet")).select("id"));
  }

  /** Ids rejected while downloading: committed or in checkpoints. */
  Dataset<Row> downloadRejectIds() throws IOException {
    return committedRejects().select("id")
        .union(read(RejectSchema.SCHEMA, files(fs, pendingDir(out), PendingWriter.REJECTS_PREFIX + "-*.parquet"))
            .select("id"));
  }

  long totalImages() throws IOException {
    return rowCount(files(fs, new Path(out, "raw"), "*.parquet"));
  }

  /** Replaces the {@code rejects/filtered-*} files with these rows; returns how many. */
  long replaceFiltered(Dataset<Row> rows) throws IOException {
    Path dir = new Path(out, "rejects");
    List<Path> old = files(fs, dir, "filtered-*.parquet");
    if (old.isEmpty() && rows.isEmpty()) {
      return 0;
    }
    List<Path> added = writeInto(rows, dir, "filtered-" + runId);
    for (Path p : old) {
      fs.delete(p, false);
    }
    return count(RejectSchema.SCHEMA, added);
  }

  /** Writes rows with Spark into a hidden folder, then moves its files into {@code dir} as {@code <prefix>-<file>}. */
  private List<Path> writeInto(Dataset<Row> rows, Path dir, String prefix) throws IOException {
    Path tmp = new Path(dir, "." + prefix + ".tmp");
    rows.coalesce(1).write().mode("overwrite").parquet(tmp.toString());
    List<Path> moved = new ArrayList<>();
    for (Path f : files(fs, tmp, "part-*.parquet")) {
      Path to = new Path(dir, prefix + "-" + f.getName());
      rename(f, to);
      moved.add(to);
    }
    fs.delete(tmp, true);
    return moved;
  }

  private long count(StructType schema, List<Path> files) {
    return files.isEmpty() ? 0 : read(schema, files).count();
  }

  private Dataset<Row> committedRaw() throws IOException {
    return read(RawImageSchema.SCHEMA, files(fs, new Path(out, "raw"), "*.parquet"));
  }

  /** The download rejects: files named by their run id (a timestamp), not the filtered-* ones. */
  private Dataset<Row> committedRejects() throws IOException {
    return read(RejectSchema.SCHEMA, files(fs, new Path(out, "rejects"), "[0-9]*.parquet"))
        .filter(col("phase").equalTo(RejectSchema.PHASE_DOWNLOAD));
  }

  Result commit() throws IOException {
    Result result = commitPending();
    Path rawDir = new Path(out, "raw");
    if (files(fs, rawDir, "*.parquet").isEmpty()) {
      fs.mkdirs(rawDir);
      RawFiles.writeEmpty(fs.getConf(), new Path(rawDir, "raw-empty.parquet"));
    }
    return result;
  }

  private Result commitPending() throws IOException {
    Path pending = pendingDir(out);
    List<Path> rawFiles = files(fs, pending, PendingWriter.RAW_PREFIX + "-*.parquet");
    List<Path> rejectFiles = files(fs, pending, PendingWriter.REJECTS_PREFIX + "-*.parquet");
    if (rawFiles.isEmpty() && rejectFiles.isEmpty()) {
      return new Result(0, 0, 0, 0);
    }
    Dataset<Row> committedRaw = committedRaw();
    Dataset<Row> done = committedRaw.select("id").union(committedRejects().select("id"));

    // One decision per pending image row: keep, or reject as a duplicate of an image stored before
    // (dup-stored) or of one stored by this commit (dup-run). Rows already committed are dropped.
    Dataset<Row> rows = read(RawImageSchema.SCHEMA, rawFiles)
        .select(col("id"), col("source"), col("source_id"), col("url"), col("sha256"), col("byte_size"),
            element_at(split(input_file_name(), "/"), -1).as("file"));
    Dataset<Row> fresh = rows.join(done, rows.col("id").equalTo(done.col("id")), "left_anti");
    fresh = fresh.withColumn("__n", row_number().over(Window.partitionBy("id").orderBy("file")))
        .filter(col("__n").equalTo(1)).drop("__n");
    Dataset<Row> storedSha = committedRaw.groupBy("sha256").agg(min("id").as("kept"));
    Dataset<Row> joined = fresh.join(storedSha, "sha256", "left");
    WindowSpec bySha = Window.partitionBy("sha256").orderBy("id");
    Dataset<Row> decision = joined
        .withColumn("__first", first("id").over(bySha)).withColumn("__n", row_number().over(bySha))
        .select(col("file"), col("id"), col("source"), col("source_id"), col("url"), col("byte_size"),
            when(col("kept").isNotNull(), lit("dup")).when(col("__n").gt(1), lit("dup")).otherwise(lit("keep"))
                .as("action"),
            coalesce(col("kept"), col("__first")).as("dup_of"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, long[]> perFile = new HashMap<>(); // file -> {rows, kept, bytes kept}
      for (Path f : rawFiles) {
        perFile.put(f.getName(), new long[] {ParquetRows.count(fs.getConf(), f), 0, 0});
      }
      long duplicateCount = 0;
      for (Row r : decision.groupBy("file", "action")
          .agg(org.apache.spark.sql.functions.count("id"), sum("byte_size")).collectAsList()) {
        if (r.getString(1).equals("keep")) {
          long[] f = perFile.get(r.getString(0));
          f[1] = r.getLong(2);
          f[2] = r.isNullAt(3) ? 0 : r.getLong(3);
        } else {
          duplicateCount += r.getLong(2);
        }
      }
      Dataset<Row> keepIds = decision.filter(col("action").equalTo("keep")).select("id");

      // Rejects: the checkpoints' (less those committed or stored by another attempt) and the duplicates.
      Dataset<Row> pendingRejects = read(RejectSchema.SCHEMA, rejectFiles);
      pendingRejects = pendingRejects.join(done, pendingRejects.col("id").equalTo(done.col("id")), "left_anti");
      pendingRejects = pendingRejects.join(keepIds, pendingRejects.col("id").equalTo(keepIds.col("id")), "left_anti");
      pendingRejects = pendingRejects
          .withColumn("__n", row_number().over(Window.partitionBy("id").orderBy(col("rejected_at").desc())))
          .filter(col("__n").equalTo(1)).drop("__n");
      Dataset<Row> duplicates = decision.filter(col("action").equalTo("dup")).select(col("id"), col("source"),
          col("source_id"), col("url"), lit(Reasons.DUPLICATE).as("reason"),
          concat(lit("same bytes (sha256) as "), col("dup_of")).as("detail"), lit(null).cast("int").as("http_status"),
          lit(RejectSchema.PHASE_DOWNLOAD).as("phase"), lit(runId).as("run_id"), current_timestamp().as("rejected_at"));
      // Nothing to write (the usual clean run): no Spark job at all.
      long rejected = rowCount(rejectFiles) + duplicateCount == 0 ? 0
          : writeRejects(pendingRejects.select(IngestJob.columns(RejectSchema.SCHEMA.fieldNames())).unionByName(duplicates));

      // Images: whole checkpoint files moved, or copied without their dropped rows.
      Path rawDir = new Path(out, "raw");
      fs.mkdirs(rawDir);
      long stored = 0;
      long bytes = 0;
      List<String> partial = new ArrayList<>();
      for (Path f : rawFiles) {
        long[] s = perFile.getOrDefault(f.getName(), new long[] {0, 0, 0});
        stored += s[1];
        bytes += s[2];
        if (s[1] > 0 && s[1] == s[0]) {
          rename(f, new Path(rawDir, f.getName()));
        } else if (s[1] > 0) {
          partial.add(f.getName());
        }
      }
      if (!partial.isEmpty()) {
        Map<String, Set<String>> keep = new HashMap<>();
        for (Row r : decision.filter(col("action").equalTo("keep").and(col("file").isin((Object[]) partial.toArray())))
            .select("file", "id").collectAsList()) {
          keep.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getString(1));
        }
        for (String name : partial) {
          Path tmp = new Path(rawDir, "." + name + ".tmp");
          RawFiles.copyKeeping(fs.getConf(), new Path(pending, name), tmp, keep.get(name));
          rename(tmp, new Path(rawDir, name));
        }
      }
      for (Path f : rawFiles) {
        fs.delete(f, false);
      }
      for (Path f : rejectFiles) {
        fs.delete(f, false);
      }
      return new Result(stored, rejected, duplicateCount, bytes);
    } finally {
      decision.unpersist();
    }
  }

  private long writeRejects(Dataset<Row> rejects) throws IOException {
    return count(RejectSchema.SCHEMA, writeInto(rejects, new Path(out, "rejects"), runId));
  }

  private Dataset<Row> read(StructType schema, List<Path> files) {
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), schema);
    }
    return spark.read().schema(schema).parquet(files.stream().map(Path::toString).toArray(String[]::new));
  }

  /** Paths in {@code dir} matching {@code glob}, sorted; empty when the folder does not exist. */
  static List<Path> files(FileSystem fs, Path dir, String glob) throws IOException {
    List<Path> result = new ArrayList<>();
    if (!fs.exists(dir)) {
      return result;
    }
    FileStatus[] matches = fs.globStatus(new Path(dir, glob));
    if (matches != null) {
      for (FileStatus s : matches) {
        result.add(s.getPath());
      }
    }
    result.sort(null);
    return result;
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }
}

package org.pdm.eval.fid;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.WorkLayout;

/**
 * One side of an FID ({@code --real} or {@code --fake}), resolved before any Spark work: an {@code .npz}
 * with {@code mu} and {@code sigma}; preprocess's output (its {@code dataset/}); {@code pdm sample}'s
 * output (its {@code images/}, the same columns), or the samples {@code pdm eval fid --keep-samples}
 * kept in that layout; any Parquet folder with the dataset's columns {@code id, image, format, width,
 * height}; or a folder of image files.
 */
public record FidInput(Kind kind, Path path) {
  public enum Kind { STATS, ROWS, FILES }

  public static FidInput resolve(Configuration conf, String given, String flag) throws IOException {
    Path p = new Path(given);
    FileSystem fs = FileSystems.forPath(p, conf);
    p = fs.makeQualified(p);
    String shown = flag + " " + FileSystems.display(p);
    String expected = "give a preprocess output, a pdm sample output, a folder of images or an .npz with mu and sigma";
    if (!fs.exists(p)) {
      throw new StagePathException(shown + " does not exist: " + expected);
    }
    if (!fs.getFileStatus(p).isDirectory()) {
      if (p.getName().endsWith(".npz")) {
        return new FidInput(Kind.STATS, p);
      }
      throw new StagePathException(shown + " is a file but not an .npz: " + expected);
    }
    String owner = StageInputs.stageOf(fs, p);
    if (owner != null) {
      WorkLayout.Folder folder = owner.equals(WorkLayout.PREPROCESS.stage()) ? WorkLayout.PREPROCESS
          : owner.equals(WorkLayout.SAMPLES.stage()) ? WorkLayout.SAMPLES : null;
      if (folder == null) {
        throw new StagePathException(shown + " holds the output of " + owner + ": " + expected);
      }
      Path data = new Path(p, folder.data());
      if (!fs.exists(data)) {
        throw new StagePathException(shown + " holds an unfinished " + owner + " output (no " + folder.data()
            + "/): run pdm " + owner + " again to finish it");
      }
      return new FidInput(Kind.ROWS, data);
    }
    FileStatus[] parquet = fs.globStatus(new Path(p, "*.parquet"));
    if (parquet != null && parquet.length > 0) {
      return new FidInput(Kind.ROWS, p);
    }
    // pdm sample's layout without its manifest: what pdm eval fid --keep-samples keeps in <out>/samples
    FileStatus[] kept = fs.globStatus(new Path(p, WorkLayout.SAMPLES.data() + "/*.parquet"));
    if (kept != null && kept.length > 0 && fs.exists(new Path(p, "stats.json"))) {
      return new FidInput(Kind.ROWS, new Path(p, WorkLayout.SAMPLES.data()));
    }
    if (fs.listStatus(p).length == 0) {
      throw new StagePathException(shown + " is an empty folder: " + expected);
    }
    return new FidInput(Kind.FILES, p);
  }

  /** Rows {@code id, image, format, width, height} (width and height -1 for files: decoded as they are). */
  public Dataset<Row> rows(SparkSession spark) {
    if (kind == Kind.ROWS) {
      return spark.read().parquet(path.toString()).select("id", "image", "format", "width", "height");
    }
    if (kind == Kind.FILES) {
      return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(path.toString())
          .select(col("path").as("id"), col("content").as("image"),
              lower(regexp_extract(col("path"), "\\.([A-Za-z0-9]+)$", 1)).as("format"),
              lit(-1).as("width"), lit(-1).as("height"));
    }
    throw new IllegalStateException(path + " holds statistics, not pictures");
  }

  /** The statistics of an {@code .npz} input. */
  public GaussianStats stats(Configuration conf) throws IOException {
    FileSystem fs = FileSystems.forPath(path, conf);
    try (InputStream in = fs.open(path)) {
      return GaussianStats.fromNpz(Npz.read(in, FileSystems.display(path)), FileSystems.display(path));
    }
  }
}

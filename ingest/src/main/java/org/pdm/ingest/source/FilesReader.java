package org.pdm.ingest.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.spark.EmptyFiles;

/**
 * Folders or globs of image files on any Hadoop file system (file:, hdfs:, s3a: with hadoop-aws),
 * listed recursively by Spark's binaryFile source without reading the files; the downloader reads
 * each one as it would fetch a URL. The id is the file's full path.
 */
final class FilesReader implements SourceReader {
  private final String globFilter;

  FilesReader(String globFilter) {
    this.globFilter = globFilter;
  }

  @Override
  public Dataset<Row> read(SparkSession spark, List<String> inputs) {
    Dataset<Row> listed = spark.read().format("binaryFile").option("pathGlobFilter", globFilter)
        .option("recursiveFileLookup", "true").load(inputs.toArray(String[]::new))
        .select(col("path"), col("length"), col("modificationTime"));
    Dataset<Row> df = listed.unionByName(empty(spark, listed))
        .select(col("path"), col("length").cast("string").as("file_bytes"),
            col("modificationTime").cast("string").as("modified_at"));
    return Columns.items(df, "files", col("path"), col("path"), lit(null).cast("string"), lit(null).cast("string"),
        lit(null).cast("string"), Columns.extraMap(df, List.of("file_bytes", "modified_at")), lit(null).cast("int"),
        lit(null).cast("int"), lit("photo"));
  }

  /** Zero-byte files, which Spark's scan leaves out: added back so that each becomes an empty-file reject. */
  private Dataset<Row> empty(SparkSession spark, Dataset<Row> listed) {
    GlobFilter glob;
    try {
      glob = new GlobFilter(globFilter);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
    List<Row> rows = new ArrayList<>();
    for (FileStatus f : EmptyFiles.of(listed)) {
      if (glob.accept(f.getPath())) {
        rows.add(RowFactory.create(f.getPath().toString(), 0L, new Timestamp(f.getModificationTime())));
      }
    }
    return spark.createDataFrame(rows, listed.schema());
  }
}

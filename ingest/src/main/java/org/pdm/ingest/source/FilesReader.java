package org.pdm.ingest.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
    Dataset<Row> df = spark.read().format("binaryFile").option("pathGlobFilter", globFilter)
        .option("recursiveFileLookup", "true").load(inputs.toArray(String[]::new))
        .select(col("path"), col("length").cast("string").as("file_bytes"),
            col("modificationTime").cast("string").as("modified_at"));
    return Columns.items(df, "files", col("path"), col("path"), lit(null).cast("string"), lit(null).cast("string"),
        lit(null).cast("string"), Columns.extraMap(df, List.of("file_bytes", "modified_at")), lit(null).cast("int"),
        lit(null).cast("int"), lit("photo"));
  }
}

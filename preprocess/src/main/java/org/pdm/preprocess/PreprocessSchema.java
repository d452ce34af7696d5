package org.pdm.preprocess;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.pdm.core.schema.DatasetSchema;

/**
 * The Parquet files {@code pdm preprocess} writes. Plain Parquet types; every column carries a
 * comment in Spark's schema metadata, so that pyarrow and DuckDB users can read what it holds.
 */
public final class PreprocessSchema {
  private PreprocessSchema() {}

  /** {@code dataset/}: one row per kept image, sorted by id; in core, where the next stages read it. */
  public static final StructType DATASET = DatasetSchema.DATASET;

  /** {@code rejects/}: one row per rejected input, sorted by id. */
  public static final StructType REJECTS = new StructType(new StructField[] {
      f("id", DataTypes.StringType, false, "the raw image's id"),
      f("reason", DataTypes.StringType, false, "unsupported-format, too-large, decode-error, too-small, wrong-orientation, "
          + "near-constant, greyscale, border, blurry or duplicate"),
      f("details", DataTypes.StringType, true, "what was measured or what failed"),
  });

  /** The work table between processing and deduplication: dataset columns plus the outcome. */
  static final StructType CANDIDATES = new StructType(new StructField[] {
      f("id", DataTypes.StringType, false, ""),
      f("reason", DataTypes.StringType, true, ""),
      f("details", DataTypes.StringType, true, ""),
      f("image", DataTypes.BinaryType, true, ""),
      f("format", DataTypes.StringType, true, ""),
      f("width", DataTypes.IntegerType, true, ""),
      f("height", DataTypes.IntegerType, true, ""),
      f("original_width", DataTypes.IntegerType, true, ""),
      f("original_height", DataTypes.IntegerType, true, ""),
      f("crop_x", DataTypes.IntegerType, true, ""),
      f("crop_y", DataTypes.IntegerType, true, ""),
      f("crop_width", DataTypes.IntegerType, true, ""),
      f("crop_height", DataTypes.IntegerType, true, ""),
      f("orientation", DataTypes.IntegerType, true, ""),
      f("source_format", DataTypes.StringType, true, ""),
      f("source_profile", DataTypes.StringType, true, ""),
      f("sharpness", DataTypes.DoubleType, true, ""),
      f("phash", DataTypes.LongType, true, ""),
      f("millis", DataTypes.DoubleType, false, ""),
  });

  private static StructField f(String name, DataType type, boolean nullable, String comment) {
    StructField field = new StructField(name, type, nullable, Metadata.empty());
    return comment.isEmpty() ? field : field.withComment(comment);
  }
}

package org.pdm.preprocess;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet files {@code pdm preprocess} writes. Plain Parquet types; every column carries a
 * comment in Spark's schema metadata, so that pyarrow and DuckDB users can read what it holds.
 */
public final class PreprocessSchema {
  private PreprocessSchema() {}

  /** {@code dataset/}: one row per kept image, sorted by id. */
  public static final StructType DATASET = new StructType(new StructField[] {
      f("id", DataTypes.StringType, false, "the raw image's id (ingest's <source>:<source id>, or the file path relative to the input folder)"),
      f("image", DataTypes.BinaryType, false, "the output picture, encoded as `format`: 8-bit sRGB, upright, width x height"),
      f("format", DataTypes.StringType, false, "png or jpeg"),
      f("width", DataTypes.IntegerType, false, "output width in pixels"),
      f("height", DataTypes.IntegerType, false, "output height in pixels"),
      f("original_width", DataTypes.IntegerType, false, "source width after EXIF orientation"),
      f("original_height", DataTypes.IntegerType, false, "source height after EXIF orientation"),
      f("crop_x", DataTypes.IntegerType, false, "left of the crop box, in upright source pixels"),
      f("crop_y", DataTypes.IntegerType, false, "top of the crop box, in upright source pixels"),
      f("crop_width", DataTypes.IntegerType, false, "crop box width in upright source pixels (scaled to width)"),
      f("crop_height", DataTypes.IntegerType, false, "crop box height in upright source pixels (scaled to height)"),
      f("orientation", DataTypes.IntegerType, false, "EXIF orientation applied, 1 (none) to 8"),
      f("source_format", DataTypes.StringType, false, "jpeg, png, webp, gif, bmp or tiff"),
      f("source_profile", DataTypes.StringType, false, "the source's colour profile; ' -> sRGB' when it was converted"),
      f("sharpness", DataTypes.DoubleType, false, "variance of the Laplacian of the luma on a reduced copy"),
      f("phash", DataTypes.LongType, false, "64-bit DCT perceptual hash (signed int64; compare with bit_count(a xor b))"),
  });

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

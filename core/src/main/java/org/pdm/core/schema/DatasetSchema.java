package org.pdm.core.schema;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The dataset {@code pdm preprocess} writes and the training stages read ({@code <preprocess>/dataset/}).
 * Plain Parquet types; every column carries a comment in Spark's schema metadata, so that pyarrow and
 * DuckDB users can read what it holds. Pixels are decoded by {@link DatasetImages}.
 */
public final class DatasetSchema {
  private DatasetSchema() {}

  /** {@code format} of a PNG picture (lossless, zlib). */
  public static final String PNG = "png";
  /** {@code format} of a JPEG picture (lossy). */
  public static final String JPEG = "jpeg";
  /**
   * {@code format} of raw pixels: {@code image} holds {@code height * width * 3} bytes, uint8, row-major
   * HWC, RGB (no header); numpy reads it with {@code np.frombuffer(image, np.uint8).reshape(height, width, 3)}.
   * Lossless; the Parquet column's own page compression (ZSTD) makes it small.
   */
  public static final String RAW = "raw";

  /**
   * Metadata of the {@code image} column (in Spark's schema JSON, which the Parquet footer keeps under
   * {@code org.apache.spark.sql.parquet.row.metadata}): how to turn the bytes into an array without Java.
   */
  public static final Metadata IMAGE_METADATA = new org.apache.spark.sql.types.MetadataBuilder()
      .putString("comment", "the output picture, encoded as `format`: 8-bit sRGB, upright, width x height; "
          + "for format raw: height*width*3 bytes, uint8 HWC RGB")
      .putString("raw_layout", "uint8 HWC RGB, row-major, no header")
      .putString("raw_shape", "(height, width, 3)")
      .putString("raw_numpy", "np.frombuffer(image, dtype=np.uint8).reshape(height, width, 3)")
      .build();

  /** One row per kept image, sorted by id. */
  public static final StructType DATASET = new StructType(new StructField[] {
      f("id", DataTypes.StringType, false, "the raw image's id (ingest's <source>:<source id>, or the file path relative to the input folder)"),
      new StructField("image", DataTypes.BinaryType, false, IMAGE_METADATA),
      f("format", DataTypes.StringType, false, "png, jpeg or raw (uint8 HWC RGB: reshape(height, width, 3))"),
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

  private static StructField f(String name, DataType type, boolean nullable, String comment) {
    StructField field = new StructField(name, type, nullable, Metadata.empty());
    return comment.isEmpty() ? field : field.withComment(comment);
  }
}

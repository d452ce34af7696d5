package org.pdm.core.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The raw-image Parquet that {@code pdm ingest} writes and {@code pdm preprocess} reads: one row per
 * stored image, the encoded bytes as they were downloaded plus what the source said about them.
 * Plain Parquet types only, so pyarrow and DuckDB read it as is.
 */
public final class RawImageSchema {
  /** {@code <source>:<source id>}, stable across runs; the key every later stage carries. */
  public static final String ID = "id";
  public static final String SOURCE = "source";
  public static final String SOURCE_ID = "source_id";
  public static final String URL = "url";
  public static final String LICENSE = "license";
  public static final String AUTHOR = "author";
  public static final String CAPTION = "caption";
  /** Source columns we do not model, kept as a string map. */
  public static final String EXTRA = "extra";
  /** Hex SHA-256 of {@link #IMAGE}; exact duplicates are stored once. */
  public static final String SHA256 = "sha256";
  public static final String BYTE_SIZE = "byte_size";
  /** jpeg, png, webp, gif, bmp or tiff: from the magic number, not the Content-Type. */
  public static final String FORMAT = "format";
  /** From the image header, before any EXIF rotation. */
  public static final String WIDTH = "width";
  public static final String HEIGHT = "height";
  public static final String IMAGE = "image";
  public static final String FETCHED_AT = "fetched_at";

  public static final StructType SCHEMA = new StructType(new StructField[] {
      field(ID, DataTypes.StringType, false),
      field(SOURCE, DataTypes.StringType, false),
      field(SOURCE_ID, DataTypes.StringType, false),
      field(URL, DataTypes.StringType, true),
      field(LICENSE, DataTypes.StringType, true),
      field(AUTHOR, DataTypes.StringType, true),
      field(CAPTION, DataTypes.StringType, true),
      field(EXTRA, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true),
      field(SHA256, DataTypes.StringType, false),
      field(BYTE_SIZE, DataTypes.LongType, false),
      field(FORMAT, DataTypes.StringType, false),
      field(WIDTH, DataTypes.IntegerType, false),
      field(HEIGHT, DataTypes.IntegerType, false),
      field(IMAGE, DataTypes.BinaryType, false),
      field(FETCHED_AT, DataTypes.TimestampType, false),
  });

  private RawImageSchema() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }
}

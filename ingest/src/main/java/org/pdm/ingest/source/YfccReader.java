package org.pdm.ingest.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * YFCC100M metadata: 25 tab-separated columns, no header (the layout with the line number and the
 * photo hash first). Columns numbered from 1 as in SPEC.md: 2 photo id, 5 user nickname, 9 title,
 * 17 download URL, 18 license name, 19 license URL, 25 marker (1 = video). Titles and descriptions
 * are URL-encoded in the dump and decoded here. YFCC states no sizes: the size filters run on the
 * downloaded header.
 */
final class YfccReader implements SourceReader {
  static final String[] COLUMNS = {"line_number", "photo_id", "photo_hash", "user_nsid", "user_nickname", "date_taken",
      "date_uploaded", "capture_device", "title", "description", "user_tags", "machine_tags", "longitude", "latitude",
      "accuracy", "page_url", "download_url", "license_name", "license_url", "server_id", "farm_id", "secret",
      "secret_original", "extension_original", "marker"};
  static final List<String> EXTRA = List.of("user_nsid", "date_taken", "date_uploaded", "capture_device",
      "description", "user_tags", "longitude", "latitude", "page_url", "license_name", "license_url", "photo_hash");

  @Override
  public long blankLines(SparkSession spark, List<String> inputs) {
    return Columns.blankLines(spark, inputs);
  }

  @Override
  public Dataset<Row> read(SparkSession spark, List<String> inputs) {
    StructType schema = new StructType();
    for (String c : COLUMNS) {
      schema = schema.add(c, DataTypes.StringType, true);
    }
    Dataset<Row> df = spark.read().schema(schema).option("sep", "\t").option("quote", "").option("header", "false")
        .option("mode", "PERMISSIVE").csv(inputs.toArray(String[]::new));
    Column decode = udf((UDF1<String, String>) YfccReader::decode, DataTypes.StringType).apply(col("title"));
    df = df.withColumn("description", udf((UDF1<String, String>) YfccReader::decode, DataTypes.StringType)
        .apply(col("description")));
    Column license = Columns.normalizedLicense(coalesce(Columns.optional(df, "license_url"),
        Columns.optional(df, "license_name")));
    Column marker = Columns.optional(df, "marker");
    return Columns.items(df, "yfcc", Columns.optional(df, "photo_id"), Columns.optional(df, "download_url"), license,
        coalesce(Columns.optional(df, "user_nickname"), Columns.optional(df, "user_nsid")), Columns.nonEmpty(decode),
        Columns.extraMap(df, EXTRA), lit(null).cast("int"), lit(null).cast("int"),
        when(marker.equalTo("1"), lit("video")).otherwise(lit("photo")));
  }

  /** YFCC's URL encoding ({@code +} for spaces, {@code %xx}); text that does not decode is kept as is. */
  static String decode(String s) {
    if (s == null) {
      return null;
    }
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}

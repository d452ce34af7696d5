package org.pdm.ingest.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Unsplash Lite or Full {@code photos.tsv*}: tab-separated, a header in every file, no quoting.
 * The license is the Unsplash License; the caption the description (or the AI description).
 */
final class UnsplashReader implements SourceReader {
  static final List<String> EXTRA = List.of("photo_url", "photo_submitted_at", "photo_featured", "photo_aspect_ratio",
      "photographer_first_name", "photographer_last_name", "exif_camera_make", "exif_camera_model",
      "photo_location_name", "photo_location_country", "photo_location_city", "ai_description", "blur_hash");

  private final String urlBase;

  UnsplashReader(String urlBase) {
    this.urlBase = urlBase;
  }

  @Override
  public long blankLines(SparkSession spark, List<String> inputs) {
    return Columns.blankLines(spark, inputs);
  }

  @Override
  public Dataset<Row> read(SparkSession spark, List<String> inputs) {
    Dataset<Row> df = spark.read().option("header", "true").option("sep", "\t").option("quote", "")
        .option("mode", "PERMISSIVE").csv(inputs.toArray(String[]::new));
    Columns.require(df, "photo_image_url", inputs, "pdm.ingest.source = unsplash",
        "check --source, or give Unsplash's photos.tsv* files");
    return Columns.items(df, "unsplash", Columns.optional(df, "photo_id"),
        Columns.resolveUrl(Columns.optional(df, "photo_image_url"), input_file_name(), urlBase),
        lit("unsplash"), Columns.optional(df, "photographer_username"),
        coalesce(Columns.optional(df, "photo_description"), Columns.optional(df, "ai_description")),
        Columns.extraMap(df, EXTRA), Columns.optionalInt(df, "photo_width"), Columns.optionalInt(df, "photo_height"),
        lit("photo"));
  }
}

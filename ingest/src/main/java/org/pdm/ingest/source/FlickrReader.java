package org.pdm.ingest.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.pdm.core.config.ConfigError;

/**
 * Flickr API exports (flickr.photos.search with {@code extras=url_o,license,owner_name,media,...}):
 * CSV with a header, or JSON lines (files ending .json, .jsonl or .ndjson). The URL is the first
 * non-empty of the configured URL columns, with the width and height of that same size.
 */
final class FlickrReader implements SourceReader {
  private final String urlBase;
  private final List<String> urlColumns;

  FlickrReader(String urlBase, List<String> urlColumns) {
    this.urlBase = urlBase;
    this.urlColumns = List.copyOf(urlColumns);
  }

  @Override
  public long blankLines(SparkSession spark, List<String> inputs) {
    return Columns.blankLines(spark, Columns.files(spark, inputs));
  }

  @Override
  public Dataset<Row> read(SparkSession spark, List<String> inputs) {
    // Folders and globs are listed here, so that each file is read by its own extension.
    List<String> files = Columns.files(spark, inputs);
    List<String> json = files.stream().filter(FlickrReader::isJson).toList();
    List<String> csv = files.stream().filter(p -> !isJson(p)).toList();
    Dataset<Row> out = null;
    if (!csv.isEmpty()) {
      out = items(spark.read().option("header", "true").option("multiLine", "false").option("escape", "\"")
          .csv(csv.toArray(String[]::new)), csv);
    }
    if (!json.isEmpty()) {
      Dataset<Row> j = items(spark.read().json(json.toArray(String[]::new)), json);
      out = out == null ? j : out.unionByName(j);
    }
    return out;
  }

  static boolean isJson(String path) {
    String p = path.toLowerCase();
    p = p.replaceAll("\\.(gz|bz2|zst|snappy)$", "");
    return p.endsWith(".json") || p.endsWith(".jsonl") || p.endsWith(".ndjson");
  }

  private Dataset<Row> items(Dataset<Row> df, List<String> paths) {
    List<String> present = urlColumns.stream().filter(c -> Columns.has(df, c)).toList();
    if (present.isEmpty() && df.columns().length > 0) {
      throw new ConfigError("pdm.ingest.flickr.url-columns = " + urlColumns + ": " + String.join(", ", paths)
          + " has none of these columns (its columns are " + String.join(", ", df.columns())
          + "); name the export's URL columns there, or check --source");
    }
    Column url = null;
    Column width = null;
    Column height = null;
    for (int i = present.size() - 1; i >= 0; i--) {
      String c = present.get(i);
      String size = c.substring("url_".length());
      Column u = Columns.optional(df, c);
      url = url == null ? u : coalesce(u, url);
      Column w = Columns.optionalInt(df, "width_" + size);
      Column h = Columns.optionalInt(df, "height_" + size);
      width = width == null ? w : when(u.isNotNull(), w).otherwise(width);
      height = height == null ? h : when(u.isNotNull(), h).otherwise(height);
    }
    if (url == null) {
      url = Columns.optional(df, "");
      width = Columns.optionalInt(df, "");
      height = Columns.optionalInt(df, "");
    }
    Set<String> modelled = new LinkedHashSet<>(List.of("id", "title", "license", "media", "ownername"));
    List<String> extra = new ArrayList<>();
    for (String c : Arrays.asList(df.columns())) {
      if (!modelled.contains(c) && !c.startsWith("url_") && !c.startsWith("width_") && !c.startsWith("height_")) {
        extra.add(c);
      }
    }
    Column license = udf((UDF1<String, String>) Licenses::flickr, DataTypes.StringType)
        .apply(Columns.optional(df, "license"));
    Dataset<Row> withLicense = df;
    List<String> extraWithLicense = new ArrayList<>(extra);
    if (Columns.has(df, "license")) {
      withLicense = df.withColumn("license_id", Columns.optional(df, "license"));
      extraWithLicense.add("license_id");
    }
    return Columns.items(withLicense, "flickr", Columns.optional(df, "id"),
        Columns.resolveUrl(url, input_file_name(), urlBase), license,
        coalesce(Columns.optional(df, "ownername"), Columns.optional(df, "owner")), Columns.optional(df, "title"),
        Columns.extraMap(withLicense, extraWithLicense), width, height, Columns.optional(df, "media"));
  }
}

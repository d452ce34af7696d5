package org.pdm.ingest.source;

import static org.apache.spark.sql.functions.input_file_name;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.ConfigError;

/**
 * A generic URL list (as img2dataset takes): CSV or TSV with a header, JSON lines, or Parquet, with
 * the URL, id, caption, license, author, width and height columns named in {@code pdm.ingest.urls}.
 * Every other column (or those listed in {@code extra-columns}) is kept in the extra map. Without an
 * id column the id is made from the URL's hash, so that it stays the same across runs.
 */
final class UrlListReader implements SourceReader {
  private final String urlBase;
  private final UrlListConfig config;

  UrlListReader(String urlBase, UrlListConfig config) {
    this.urlBase = urlBase;
    this.config = config;
  }

  static String formatOf(String path, String configured) {
    if (!configured.equals("auto")) {
      return configured;
    }
    String p = path.toLowerCase().replaceAll("\\.(gz|bz2|zst|snappy)$", "");
    if (p.endsWith(".tsv") || p.endsWith(".tab") || p.endsWith(".txt")) {
      return "tsv";
    }
    if (p.endsWith(".json") || p.endsWith(".jsonl") || p.endsWith(".ndjson")) {
      return "jsonl";
    }
    if (p.endsWith(".parquet") || p.endsWith(".pq")) {
      return "parquet";
    }
    return "csv";
  }

  @Override
  public long blankLines(SparkSession spark, List<String> inputs) {
    List<String> text = (config.format().equals("auto") ? Columns.files(spark, inputs) : inputs).stream()
        .filter(f -> !formatOf(f, config.format()).equals("parquet")).toList();
    return Columns.blankLines(spark, text);
  }

  @Override
  public Dataset<Row> read(SparkSession spark, List<String> inputs) {
    Map<String, List<String>> byFormat = new LinkedHashMap<>();
    // Folders and globs are listed here, so that each file is read by its own extension.
    for (String in : config.format().equals("auto") ? Columns.files(spark, inputs) : inputs) {
      byFormat.computeIfAbsent(formatOf(in, config.format()), k -> new ArrayList<>()).add(in);
    }
    Dataset<Row> out = null;
    for (Map.Entry<String, List<String>> e : byFormat.entrySet()) {
      String[] paths = e.getValue().toArray(String[]::new);
      Dataset<Row> df = switch (e.getKey()) {
        case "csv" -> spark.read().option("header", "true").option("escape", "\"").csv(paths);
        case "tsv" -> spark.read().option("header", "true").option("sep", "\t").option("quote", "").csv(paths);
        case "jsonl" -> spark.read().json(paths);
        default -> spark.read().parquet(paths);
      };
      Dataset<Row> items = items(df, e.getValue());
      out = out == null ? items : out.unionByName(items);
    }
    return out;
  }

  private Dataset<Row> items(Dataset<Row> df, List<String> paths) {
    if (!Columns.has(df, config.urlColumn())) {
      throw new ConfigError("pdm.ingest.urls.url-column = \"" + config.urlColumn() + "\" is not a column of "
          + String.join(", ", paths) + "; its columns are " + String.join(", ", df.columns()));
    }
    Set<String> modelled = new java.util.HashSet<>(List.of(config.urlColumn(), config.idColumn(),
        config.captionColumn(), config.licenseColumn(), config.authorColumn(), config.widthColumn(),
        config.heightColumn()));
    List<String> extra = config.extraColumns().isEmpty()
        ? Arrays.stream(df.columns()).filter(c -> !modelled.contains(c)).toList()
        : config.extraColumns();
    var url = Columns.optional(df, config.urlColumn());
    return Columns.items(df, "urls", Columns.sourceId(Columns.optional(df, config.idColumn()), url),
        Columns.resolveUrl(url, input_file_name(), urlBase),
        Columns.normalizedLicense(Columns.optional(df, config.licenseColumn())),
        Columns.optional(df, config.authorColumn()), Columns.optional(df, config.captionColumn()),
        Columns.extraMap(df, extra), Columns.optionalInt(df, config.widthColumn()),
        Columns.optionalInt(df, config.heightColumn()), org.apache.spark.sql.functions.lit(null).cast("string"));
  }
}

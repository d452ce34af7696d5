package org.pdm.ingest.source;

import java.io.Serializable;
import java.util.List;
import org.pdm.core.config.Settings;

/** How a generic URL list is read ({@code pdm.ingest.urls}); empty column names mean "none". */
public record UrlListConfig(String format, String urlColumn, String idColumn, String captionColumn,
    String licenseColumn, String authorColumn, String widthColumn, String heightColumn, List<String> extraColumns)
    implements Serializable {

  public UrlListConfig {
    extraColumns = List.copyOf(extraColumns);
  }

  public static UrlListConfig from(Settings s) {
    return new UrlListConfig(s.oneOf("format", "auto", "csv", "tsv", "jsonl", "parquet"),
        s.required("url-column", "name the column that holds the URLs"), s.string("id-column").trim(),
        s.string("caption-column").trim(), s.string("license-column").trim(), s.string("author-column").trim(),
        s.string("width-column").trim(), s.string("height-column").trim(),
        s.stringList("extra-columns").stream().map(String::trim).toList());
  }
}

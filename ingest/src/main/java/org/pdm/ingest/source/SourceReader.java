package org.pdm.ingest.source;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one kind of source into items with the columns of {@link SourceItem#SCHEMA}. A reader only
 * maps columns: it downloads nothing and filters nothing (rows it cannot use come out with a null
 * URL, and the job rejects them with a reason).
 */
public interface SourceReader {
  Dataset<Row> read(SparkSession spark, List<String> inputs);

  /**
   * Lines of the inputs that are empty or white space only: Spark's CSV and JSON readers skip them
   * without a trace, so they are counted here (as {@code skipped-blank-lines}). 0 for sources that
   * are not text.
   */
  default long blankLines(SparkSession spark, List<String> inputs) {
    return 0;
  }

  /** The reader for {@code pdm.ingest.source}. */
  static SourceReader forSource(String source, String urlBase, UrlListConfig urls, List<String> flickrUrlColumns,
      String filesGlob) {
    return switch (source) {
      case "unsplash" -> new UnsplashReader(urlBase);
      case "flickr" -> new FlickrReader(urlBase, flickrUrlColumns);
      case "yfcc" -> new YfccReader();
      case "urls" -> new UrlListReader(urlBase, urls);
      case "files" -> new FilesReader(filesGlob);
      default -> throw new IllegalArgumentException("unknown source " + source);
    };
  }
}

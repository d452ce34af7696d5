package org.pdm.ingest.source;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One image a source lists, before downloading: what every {@link SourceReader} produces, in the
 * same columns ({@link #SCHEMA}) whatever the source.
 *
 * @param id {@code <source>:<sourceId>}, stable across runs
 * @param url where to fetch it: http(s), or a Hadoop file system URI (file:, hdfs:, ...)
 * @param license the normalized license name ({@link Licenses}), or null when the source has none
 * @param extra source columns we do not model
 * @param width width the source states, or null
 * @param height height the source states, or null
 * @param media "photo", "video", or null when the source does not say
 */
public record SourceItem(String id, String source, String sourceId, String url, String license, String author,
    String caption, Map<String, String> extra, Integer width, Integer height, String media) implements Serializable {

  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, false)
      .add("source_id", DataTypes.StringType, false)
      .add("url", DataTypes.StringType, true)
      .add("license", DataTypes.StringType, true)
      .add("author", DataTypes.StringType, true)
      .add("caption", DataTypes.StringType, true)
      .add("extra", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)
      .add("width", DataTypes.IntegerType, true)
      .add("height", DataTypes.IntegerType, true)
      .add("media", DataTypes.StringType, true);

  public static SourceItem of(Row row) {
    scala.collection.Map<String, String> extra = row.isNullAt(7) ? null : row.getMap(7);
    Map<String, String> map = new TreeMap<>();
    if (extra != null) {
      map.putAll(CollectionConverters.asJava(extra));
    }
    return new SourceItem(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
        row.getString(5), row.getString(6), map, row.isNullAt(8) ? null : row.getInt(8),
        row.isNullAt(9) ? null : row.getInt(9), row.getString(10));
  }
}

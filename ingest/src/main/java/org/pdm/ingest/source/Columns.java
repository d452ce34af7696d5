package org.pdm.ingest.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.pdm.core.config.ConfigError;

/** Column helpers the readers share: ids, URL resolution, license names, the extra map. */
final class Columns {
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private Columns() {}

  /** A column, or a typed null when the input has no such column. */
  static Column optional(Dataset<Row> df, String name) {
    return name != null && !name.isEmpty() && has(df, name) ? nonEmpty(col(quoted(name)).cast("string"))
        : lit(null).cast("string");
  }

  /**
   * Stops the run when a manifest lacks the column that holds its URLs: the source or the column
   * setting is wrong, and every row would otherwise end up rejected as invalid:no-url. An input
   * without any column (an empty file) passes.
   */
  static void require(Dataset<Row> df, String name, List<String> paths, String setting, String fix) {
    if (df.columns().length > 0 && !has(df, name)) {
      throw new ConfigError(setting + ": " + String.join(", ", paths) + " has no column "
          + name + " (its columns are " + String.join(", ", df.columns()) + "); " + fix);
    }
  }

  /**
   * The files the inputs name: globs expanded, folders listed recursively, leaving out what Spark
   * leaves out of a folder (names starting with {@code .} or {@code _}).
   */
  static List<String> files(SparkSession spark, List<String> inputs) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<String> out = new ArrayList<>();
    try {
      for (String in : inputs) {
        Path p = new Path(in);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(p);
        for (FileStatus m : matches == null ? new FileStatus[0] : matches) {
          if (m.isFile()) {
            out.add(m.getPath().toString());
            continue;
          }
          String root = m.getPath().toString();
          List<String> listed = new ArrayList<>();
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
          while (it.hasNext()) {
            String f = it.next().getPath().toString();
            if (Arrays.stream(f.substring(root.length()).split("/")).noneMatch(x -> x.startsWith(".") || x.startsWith("_"))) {
              listed.add(f);
            }
          }
          listed.sort(null);
          out.addAll(listed);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Lines of these text files that are empty or white space only; 0 for none. */
  static long blankLines(SparkSession spark, List<String> textFiles) {
    return textFiles.isEmpty() ? 0
        : spark.read().text(textFiles.toArray(String[]::new)).filter(trim(col("value")).equalTo("")).count();
  }

  static boolean has(Dataset<Row> df, String name) {
    return Arrays.asList(df.columns()).contains(name);
  }

  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** Empty or blank strings as null. */
  static Column nonEmpty(Column c) {
    Column t = trim(c);
    return org.apache.spark.sql.functions.when(t.notEqual(""), t);
  }

  /** An integer column from text, null when it is not a number. */
  static Column optionalInt(Dataset<Row> df, String name) {
    return name != null && !name.isEmpty() && has(df, name)
        ? expr("try_cast(try_cast(" + quoted(name) + " as double) as int)") : lit(null).cast("int");
  }

  /**
   * The source id, or when the source has none a stable one from the URL's hash
   * ({@code url-<16 hex>}); null only when both are missing.
   */
  static Column sourceId(Column sourceId, Column url) {
    return coalesce(sourceId, concat(lit("url-"), substring(sha2(url, 256), 1, 16)));
  }

  /** Every item column in {@link SourceItem#SCHEMA}'s order. */
  static Dataset<Row> items(Dataset<Row> df, String source, Column sourceId, Column url, Column license, Column author,
      Column caption, Column extra, Column width, Column height, Column media) {
    Column sid = coalesce(sourceId, lit("row-unidentified"));
    return df.withColumn("__extra", extra).select(
        concat(lit(source + ":"), sid).as("id"), lit(source).as("source"), sid.as("source_id"),
        url.as("url"), license.as("license"), author.as("author"), caption.as("caption"),
        expr("map_filter(__extra, (k, v) -> v is not null and v != '')").as("extra"), width.as("width"),
        height.as("height"), media.as("media"))
        .toDF();
  }

  /** A map column of the given columns (those the input has), as text. */
  static Column extraMap(Dataset<Row> df, Collection<String> names) {
    List<Column> kv = new ArrayList<>();
    for (String n : names) {
      if (has(df, n)) {
        kv.add(lit(n));
        kv.add(col(quoted(n)).cast("string"));
      }
    }
    return kv.isEmpty() ? expr("map()").cast("map<string,string>") : org.apache.spark.sql.functions.map(kv.toArray(Column[]::new));
  }

  /** Relative URLs resolved against {@code base}, or without a base against the manifest's folder. */
  static Column resolveUrl(Column url, Column manifestFile, String base) {
    UserDefinedFunction f = udf((UDF2<String, String, String>) (u, file) -> resolve(u, file, base), DataTypes.StringType);
    return f.apply(url, manifestFile);
  }

  static String resolve(String url, String manifestFile, String base) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String u = url.trim();
    if (u.startsWith("//")) {
      return "https:" + u;
    }
    if (SCHEME.matcher(u).matches()) {
      return u;
    }
    if (base != null && !base.isEmpty()) {
      try {
        return URI.create(base).resolve(u).toString();
      } catch (IllegalArgumentException e) {
        return base + u;
      }
    }
    if (manifestFile == null || manifestFile.isEmpty()) {
      return u;
    }
    try {
      return new Path(new Path(manifestFile).getParent(), u).toUri().toString();
    } catch (IllegalArgumentException e) {
      // Text that is no path either (such as "Photo 1: sunset.jpg"): kept as written, so that the
      // metadata check rejects this row as bad-url with the parser's message, and the run goes on.
      return u;
    }
  }

  /** License text through {@link Licenses#normalize}. */
  static Column normalizedLicense(Column text) {
    return udf((UDF1<String, String>) Licenses::normalize, DataTypes.StringType).apply(text);
  }
}

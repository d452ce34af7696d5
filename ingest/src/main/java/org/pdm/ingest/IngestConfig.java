package org.pdm.ingest;

import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.WorkLayout;
import org.pdm.ingest.download.DownloadConfig;
import org.pdm.ingest.source.FilterConfig;
import org.pdm.ingest.source.UrlListConfig;

/**
 * The validated settings of {@code pdm ingest} (section {@code pdm.ingest}). Built before Spark
 * starts, so that a bad value stops the run at once with the key and the allowed range.
 *
 * @param out the output folder, or "" for {@code <work-dir>/ingest} (WorkLayout)
 */
public record IngestConfig(
    String source,
    List<String> inputs,
    String out,
    String urlBase,
    int partitions,
    FilterConfig filter,
    UrlListConfig urls,
    List<String> flickrUrlColumns,
    String filesGlobFilter,
    DownloadConfig download,
    int checkpointItems,
    long checkpointBytes) implements Serializable {

  public static final List<String> SOURCES = List.of("unsplash", "flickr", "yfcc", "urls", "files");

  public IngestConfig {
    inputs = List.copyOf(inputs);
    flickrUrlColumns = List.copyOf(flickrUrlColumns);
  }

  public static IngestConfig from(PdmConfig config) {
    return parse(config, true);
  }

  /**
   * Checks every key of the section except that inputs are given: for {@code pdm config} and the
   * demo, which check all stages before their inputs exist.
   */
  public static void checkAllButInputs(PdmConfig config) {
    parse(config, false);
  }

  /** The settings without requiring inputs (where the output goes, for pdm status before synth ran). */
  public static IngestConfig fromWithoutInputs(PdmConfig config) {
    return parse(config, false);
  }

  private static IngestConfig parse(PdmConfig config, boolean needInputs) {
    Settings s = config.settings("ingest");
    String source = s.oneOf("source", SOURCES.toArray(String[]::new));
    List<String> inputs = s.stringList("inputs").stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
    if (inputs.isEmpty() && needInputs) {
      String synth = WorkLayout.of(config).dir(WorkLayout.SYNTH);
      if (!isSynthOutput(synth)) {
        throw new ConfigError(s.key("inputs") + " is empty: give the manifests or folders to read with --in PATH "
            + "(repeatable) or ingest.inputs=[\"path\", ...]; with none given, ingest reads pdm synth's output "
            + synth + " when there is one");
      }
      inputs = List.of(synth); // the previous stage's default output, as every stage reads by default
    }
    String urlBase = s.string("url-base").trim();
    if (!urlBase.isEmpty() && !urlBase.endsWith("/")) {
      urlBase = urlBase + "/";
    }
    List<String> flickr = s.section("flickr").stringList("url-columns");
    if (flickr.isEmpty()) {
      throw new ConfigError(s.key("flickr.url-columns") + " is empty: list the URL columns to try, such as [url_o, url_k]");
    }
    for (String c : flickr) {
      if (!c.startsWith("url_")) {
        throw new ConfigError(s.key("flickr.url-columns") + " has \"" + c + "\": Flickr URL columns are named url_<size>");
      }
    }
    return new IngestConfig(source, inputs, s.string("out").trim(), urlBase, s.intIn("partitions", 0, 1_000_000),
        FilterConfig.from(s.section("filter")), UrlListConfig.from(s.section("urls")), flickr,
        s.section("files").required("glob-filter", "use a glob such as *.jpg"),
        DownloadConfig.from(config, s.section("download")),
        s.intIn("checkpoint-items", 1, 1_000_000), bytes(config, s, "checkpoint-bytes", 1L << 20, 2L << 30));
  }

  /** A byte count written as a number or with a unit (40MiB), within [min, max]. */
  public static long bytes(PdmConfig config, Settings s, String key, long min, long max) {
    long v;
    try {
      v = config.raw().getBytes(s.key(key));
    } catch (ConfigException e) {
      throw new ConfigError(s.key(key) + " = " + s.string(key) + " is not a size in bytes: write it as 40MiB or 1048576");
    }
    if (v < min || v > max) {
      throw new ConfigError(s.key(key) + " = " + s.string(key) + " is out of range: allowed " + min + " to " + max + " bytes");
    }
    return v;
  }

  /** Whether {@code dir} is a finished pdm synth output (by its manifest). */
  private static boolean isSynthOutput(String dir) {
    try {
      Path path = new Path(dir);
      FileSystem fs = path.getFileSystem(new Configuration());
      return fs.exists(path) && WorkLayout.SYNTH.stage().equals(StageInputs.stageOf(fs, path));
    } catch (IOException | IllegalArgumentException e) {
      return false; // not readable as a synth output: the user is asked for --in
    }
  }
}

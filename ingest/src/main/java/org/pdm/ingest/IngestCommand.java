package org.pdm.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.StageSummary;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.stage.OutputGuard;
import org.pdm.core.stage.StageResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm ingest}: our img2dataset, as a Spark job. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Download the images a source lists (unsplash, flickr, yfcc, urls, files) into raw Parquet, "
        + "with the items not stored and their reasons in rejects Parquet and a stats JSON per run.",
        "A rerun downloads only what is new and resumes an interrupted run; --force starts the output over."})
public final class IngestCommand extends StageCommand {
  @Option(names = "--source", description = "unsplash, flickr, yfcc, urls or files (pdm.ingest.source).")
  String source;

  @Option(names = "--in", paramLabel = "PATH", description = "A manifest, folder or glob; repeatable (pdm.ingest.inputs).")
  List<String> in;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.ingest.out; default <work-dir>/ingest).")
  String out;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "ingest.source", source);
    addIfSet(o, "ingest.out", out);
    if (in != null && !in.isEmpty()) {
      o.add("ingest.inputs=" + hoconList(in));
    }
    return o;
  }

  /** Values as a HOCON list of quoted strings, for a key=value override. */
  public static String hoconList(List<String> values) {
    List<String> quoted = new ArrayList<>();
    for (String v : values) {
      quoted.add("\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
    return "[" + String.join(", ", quoted) + "]";
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    IngestConfig c = IngestConfig.from(config); // every check before Spark starts
    var hadoop = new org.apache.hadoop.conf.Configuration();
    IngestJob.checkInputs(hadoop, IngestJob.sourceInputs(hadoop, c));
    OutputGuard.check(hadoop, IngestJob.outDir(config, c), IngestJob.STAGE);
    SparkSession spark = SparkSessions.getOrCreate(config, "ingest");
    StageResult result = IngestJob.run(spark, config, force);
    StageSummary.print(System.out, result);
    if (!result.skipped()) {
      System.out.println(whereTo(spark.sparkContext().hadoopConfiguration(), result.output()));
    }
    return 0;
  }

  /** The line naming the outputs, leaving out those this run did not write (no rejects at all, say). */
  static String whereTo(org.apache.hadoop.conf.Configuration hadoop, String out) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    String[][] parts = {{"raw images", "raw/"}, {"rejects", "rejects/"}, {"stats", "stats.json"}};
    for (String[] p : parts) {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(out, p[1]);
      if (path.getFileSystem(hadoop).exists(path)) {
        line.append(line.length() == 0 ? " " : "  ").append(" ").append(p[0]).append(": ").append(out).append('/')
            .append(p[1]);
      }
    }
    return line.toString();
  }
}

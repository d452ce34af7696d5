package org.pdm.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.StageSummary;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.stage.OutputGuard;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.WorkLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm preprocess}: raw photos to a clean training set of one size. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
    description = "Decode raw photos (ingest's Parquet or folders of images), turn them upright, convert them to "
        + "sRGB, filter them and centre-crop and resize them to a preset's size; writes dataset/ and rejects/ "
        + "Parquet, stats.json and contact-sheet.png.")
public final class PreprocessCommand extends StageCommand {
  @Option(names = "--preset", description = "scapes2k, people2k, celebahq-1024, lsun-256 or custom (pdm.preprocess.preset).")
  String preset;

  @Option(names = "--in", paramLabel = "DIR|GLOB", description = "Ingest's output folder, a raw Parquet folder or "
      + "an image folder/glob (pdm.preprocess.in; default <work-dir>/ingest).")
  String in;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.preprocess.out; default "
      + "<work-dir>/preprocess).")
  String out;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "preprocess.preset", preset);
    addIfSet(o, "preprocess.in", in);
    addIfSet(o, "preprocess.out", out);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    PreprocessConfig c = PreprocessConfig.from(config); // all checks before Spark starts
    WorkLayout work = WorkLayout.of(config);
    String input = c.input(work);
    String output = c.output(work);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    PreprocessInput.resolve(hadoop, input, c.inputFormat());
    OutputGuard.check(hadoop, output, WorkLayout.PREPROCESS.stage());
    SparkSession spark = SparkSessions.getOrCreate(config, "preprocess");
    StageResult result = PreprocessJob.run(spark, config, input, output, force);
    StageSummary.print(System.out, result);
    System.out.println("  contact sheet:            " + result.output() + "/contact-sheet.png");
    return 0;
  }
}

package org.pdm.core.synth;

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

/** {@code pdm synth}: writes generated sample photos and their Unsplash and Flickr manifests. */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = "Generate photo-like sample images (JPEG and PNG) with photos.tsv (Unsplash Lite) and "
        + "flickr.csv (Flickr API) manifests. Deterministic for a seed.")
public final class SynthCommand extends StageCommand {
  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: <work-dir>/synth).")
  String out;

  @Option(names = "--count", description = "Number of images (pdm.synth.count).")
  Integer count;

  @Option(names = "--kind", description = "scapes or people (pdm.synth.kind).")
  String kind;

  @Option(names = "--seed", description = "Random seed (pdm.synth.seed).")
  Long seed;

  @Option(names = "--min-size", paramLabel = "WxH", description = "Size the filters will ask for (pdm.synth.min-size).")
  String minSize;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "synth.count", count);
    addIfSet(o, "synth.kind", kind);
    addIfSet(o, "synth.seed", seed);
    addIfSet(o, "synth.min-size", minSize);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    SynthConfig c = SynthConfig.from(config); // all checks before Spark starts
    String dir = out != null ? out : WorkLayout.of(config).dir(WorkLayout.SYNTH);
    OutputGuard.check(new org.apache.hadoop.conf.Configuration(), dir, WorkLayout.SYNTH.stage());
    SparkSession spark = SparkSessions.getOrCreate(config, "synth");
    StageResult result = SynthJob.run(spark, config, dir, force);
    StageSummary.print(System.out, result);
    return 0;
  }
}

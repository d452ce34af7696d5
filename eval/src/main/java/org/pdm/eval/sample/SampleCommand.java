package org.pdm.eval.sample;

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

/** {@code pdm sample}: images from a flow checkpoint and an autoencoder, drawn across executors. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Draw images: noise per sample from (seed, index), integrated by the flow checkpoint (Euler or "
        + "RK45), unscaled and decoded by the autoencoder, spread over Spark executors. Writes images/ Parquet "
        + "(PNG, readable as a dataset), grid.png and stats.json (NFE mean, min, max).")
public final class SampleCommand extends StageCommand {
  @Option(names = {"--flow", "--in"}, paramLabel = "CKPT", description = "A flow (UNet) checkpoint folder, or a stage folder "
      + "holding one in checkpoint/, such as pdm train flow's output (pdm.sample.flow; default <work-dir>/flow).")
  String flow;

  @Option(names = "--autoencoder", paramLabel = "CKPT", description = "The autoencoder checkpoint or its stage "
      + "folder (pdm.sample.autoencoder; default <work-dir>/autoencoder).")
  String autoencoder;

  @Option(names = "--count", paramLabel = "N", description = "Samples to draw (pdm.sample.count).")
  Long count;

  @Option(names = "--sampler", paramLabel = "euler:N|rk45[:TOL]", description = "euler:200 (N Euler steps) or "
      + "rk45 (adaptive, rtol = atol = 1e-5, or rk45:TOL) (pdm.sample.sampler).")
  String sampler;

  @Option(names = "--seed", paramLabel = "S", description = "Noise seed; sample i depends only on (S, i) "
      + "(pdm.sample.seed).")
  Long seed;

  @Option(names = "--batch-size", paramLabel = "B", description = "Samples per device batch (pdm.sample.batch-size).")
  Integer batchSize;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.sample.out; default "
      + "<work-dir>/samples).")
  String out;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "sample.flow", flow);
    addIfSet(o, "sample.autoencoder", autoencoder);
    addIfSet(o, "sample.count", count);
    addIfSet(o, "sample.sampler", sampler);
    addIfSet(o, "sample.seed", seed);
    addIfSet(o, "sample.batch-size", batchSize);
    addIfSet(o, "sample.out", out);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    SampleConfig c = SampleConfig.from(config); // all checks before Spark starts
    WorkLayout work = WorkLayout.of(config);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    SampleJob.models(hadoop, c, c.flow(work), c.autoencoder(work));
    OutputGuard.check(hadoop, c.out(work), WorkLayout.SAMPLES.stage());
    SparkSession spark = SparkSessions.getOrCreate(config, "sample");
    StageResult result = SampleJob.run(spark, config, c.flow(work), c.autoencoder(work), c.out(work), force);
    StageSummary.print(System.out, result);
    return 0;
  }
}

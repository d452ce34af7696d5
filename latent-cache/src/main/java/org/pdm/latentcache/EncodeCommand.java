package org.pdm.latentcache;

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

/** {@code pdm encode}: the dataset to a latent cache with a pyramid autoencoder. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = "Encode preprocess's dataset with a pyramid autoencoder checkpoint, on the executors' GPUs when "
        + "Spark gives them (else CPU), into a latent cache: latents/ and rejects/ Parquet and latent-stats.json.")
public final class EncodeCommand extends StageCommand {
  @Option(names = {"--dataset", "--in"}, paramLabel = "DIR", description = "Preprocess's output folder or its "
      + "dataset/ folder (pdm.encode.dataset; default <work-dir>/preprocess). --in is the same flag, the name every "
      + "stage takes for its input.")
  String dataset;

  @Option(names = "--autoencoder", paramLabel = "CKPT", description = "An autoencoder checkpoint folder on any "
      + "Hadoop file system, or pdm model init's output folder (pdm.encode.autoencoder; default <work-dir>/autoencoder).")
  String autoencoder;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.encode.out; default "
      + "<work-dir>/latents).")
  String out;

  @Option(names = "--ema", paramLabel = "auto|true|false", description = "Use the checkpoint's EMA weights "
      + "(pdm.encode.ema; default auto: when the checkpoint has trained).")
  String ema;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "encode.dataset", dataset);
    addIfSet(o, "encode.autoencoder", autoencoder);
    addIfSet(o, "encode.out", out);
    addIfSet(o, "encode.ema", ema);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    EncodeConfig c = EncodeConfig.from(config); // all checks before Spark starts
    WorkLayout work = WorkLayout.of(config);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    EncodeInputs.resolve(hadoop, c.dataset(work), c.autoencoder(work));
    OutputGuard.check(hadoop, c.out(work), WorkLayout.LATENTS.stage());
    SparkSession spark = SparkSessions.getOrCreate(config, "encode");
    StageResult result = EncodeJob.run(spark, config, c.dataset(work), c.autoencoder(work), c.out(work), force);
    StageSummary.print(System.out, result);
    return 0;
  }
}

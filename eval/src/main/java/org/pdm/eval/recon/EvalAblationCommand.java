package org.pdm.eval.recon;

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

/** {@code pdm eval ablation}: the paper's Fig. 7, decoding with one latent level kept or removed. */
@Command(name = "ablation", mixinStandardHelpOptions = true,
    description = "The paper's Fig. 7 control experiment: each image decoded with only one latent level kept and "
        + "with only one removed; ablation.png (labelled grid), ablation.json and ablation.md (PSNR, SSIM per variant).")
public final class EvalAblationCommand extends StageCommand {
  @Option(names = "--autoencoder", paramLabel = "CKPT", description = "The autoencoder checkpoint or its stage "
      + "folder (pdm.eval.ablation.autoencoder; default <work-dir>/autoencoder).")
  String autoencoder;

  @Option(names = {"--dataset", "--in"}, paramLabel = "DIR", description = "Preprocess's output folder or its "
      + "dataset/ (pdm.eval.ablation.dataset; default <work-dir>/preprocess).")
  String dataset;

  @Option(names = "--count", paramLabel = "N", description = "Images, 1 to 64 (pdm.eval.ablation.count).")
  Integer count;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.eval.ablation.out; default "
      + "<work-dir>/eval-ablation).")
  String out;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "eval.ablation.autoencoder", autoencoder);
    addIfSet(o, "eval.ablation.dataset", dataset);
    addIfSet(o, "eval.ablation.count", count);
    addIfSet(o, "eval.ablation.out", out);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    AblationConfig c = AblationConfig.from(config); // all checks before Spark starts
    WorkLayout work = WorkLayout.of(config);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    ReconInputs.resolve(hadoop, c.dataset(work), c.autoencoder(work), c.ema(), "eval ablation");
    OutputGuard.check(hadoop, c.out(work), AblationConfig.STAGE);
    SparkSession spark = SparkSessions.getOrCreate(config, "eval-ablation");
    StageResult result = AblationJob.run(spark, config, c.dataset(work), c.autoencoder(work), c.out(work), force);
    StageSummary.print(System.out, result);
    return 0;
  }
}

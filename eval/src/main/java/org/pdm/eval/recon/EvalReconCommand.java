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

/** {@code pdm eval recon}: PSNR and SSIM of an autoencoder on the validation split. */
@Command(name = "recon", mixinStandardHelpOptions = true,
    description = "PSNR and SSIM (Wang et al. 2004, Gaussian window, on [0, 255]) of the autoencoder's "
        + "reconstructions of the dataset's validation split, and their rFID when pdm.eval.inception names the FID "
        + "extractor, across executors: recon.json, per-image.csv.")
public final class EvalReconCommand extends StageCommand {
  @Option(names = "--autoencoder", paramLabel = "CKPT", description = "The autoencoder checkpoint or its stage "
      + "folder (pdm.eval.recon.autoencoder; default <work-dir>/autoencoder).")
  String autoencoder;

  @Option(names = {"--dataset", "--in"}, paramLabel = "DIR", description = "Preprocess's output folder or its "
      + "dataset/ (pdm.eval.recon.dataset; default <work-dir>/preprocess).")
  String dataset;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.eval.recon.out; default "
      + "<work-dir>/eval-recon).")
  String out;

  @Option(names = "--inception", paramLabel = "FILE", description = "The FID extractor TorchScript for rFID "
      + "(pdm.eval.inception; unset: rFID is skipped). Mode, input size and batch size as pdm eval fid's.")
  String inception;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "eval.recon.autoencoder", autoencoder);
    addIfSet(o, "eval.recon.dataset", dataset);
    addIfSet(o, "eval.recon.out", out);
    addIfSet(o, "eval.inception", inception);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    ReconConfig c = ReconConfig.from(config); // all checks before Spark starts
    WorkLayout work = WorkLayout.of(config);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    ReconInputs.resolve(hadoop, c.dataset(work), c.autoencoder(work), c.ema(), "eval recon");
    org.pdm.eval.fid.FidConfig fid = org.pdm.eval.fid.FidConfig.from(config);
    if (!fid.inception().isEmpty()) {
      org.pdm.eval.fid.DetectorSource.sha256(hadoop, fid.inception()); // the extractor must exist before Spark
    }
    OutputGuard.check(hadoop, c.out(work), ReconConfig.STAGE);
    SparkSession spark = SparkSessions.getOrCreate(config, "eval-recon");
    StageResult result = ReconJob.run(spark, config, c.dataset(work), c.autoencoder(work), c.out(work), force);
    StageSummary.print(System.out, result);
    System.out.println(ReconJob.line(hadoop, c.out(work)));
    return 0;
  }
}

package org.pdm.eval.fid;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.stage.OutputGuard;
import org.pdm.core.stage.WorkLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm eval fid}: FID, KID and precision/recall of two picture sets or statistics files. */
@Command(name = "fid", mixinStandardHelpOptions = true,
    description = "FID (with KID and precision/recall) between --real and --fake, each a preprocess output, a pdm "
        + "sample output, a folder of images or an .npz with mu and sigma; features from the FID Inception "
        + "TorchScript (pdm.eval.inception) on the executors. Writes fid.json and features/ Parquet.")
public final class FidCommand extends StageCommand {
  @Option(names = "--real", paramLabel = "X", description = "Reference side (pdm.eval.fid.real; default "
      + "<work-dir>/preprocess).")
  String real;

  @Option(names = "--fake", paramLabel = "Y", description = "Generated side (pdm.eval.fid.fake; default "
      + "<work-dir>/samples).")
  String fake;

  @Option(names = "--mode", paramLabel = "clean|legacy-tensorflow", description = "clean: Pillow-bicubic resize to "
      + "299 outside the network (clean-fid's default); legacy-tensorflow: uint8 into the network, which resizes "
      + "(pdm.eval.fid.mode; default clean).")
  String mode;

  @Option(names = "--save-stats", paramLabel = "F.npz", description = "Also write the real side's mu and sigma to "
      + "this .npz (pytorch-fid / clean-fid format) (pdm.eval.fid.save-stats).")
  String saveStats;

  @Option(names = "--inception", paramLabel = "FILE", description = "The feature extractor TorchScript "
      + "(pdm.eval.inception).")
  String inception;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.eval.fid.out; default "
      + "<work-dir>/eval).")
  String out;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "eval.fid.real", real);
    addIfSet(o, "eval.fid.fake", fake);
    addIfSet(o, "eval.fid.mode", mode);
    addIfSet(o, "eval.fid.save-stats", saveStats);
    addIfSet(o, "eval.inception", inception);
    addIfSet(o, "eval.fid.out", out);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    FidConfig c = FidConfig.from(config); // all checks before Spark starts
    WorkLayout work = WorkLayout.of(config);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    FidInput r = FidInput.resolve(hadoop, c.real(work), "--real");
    FidInput f = FidInput.resolve(hadoop, c.fake(work), "--fake");
    if (r.kind() != FidInput.Kind.STATS || f.kind() != FidInput.Kind.STATS) {
      DetectorSource.sha256(hadoop, c.inceptionRequired()); // the extractor must exist before Spark starts
    }
    OutputGuard.check(hadoop, c.out(work), WorkLayout.EVAL.stage());
    SparkSession spark = SparkSessions.getOrCreate(config, "eval fid");
    FidJob.Outcome o = FidJob.run(spark, config, c.real(work), c.fake(work), c.out(work), force);
    System.out.println(FidJob.line(o, o.stage().output()));
    for (var w : o.json().get("warnings")) {
      System.err.println("pdm eval fid: warning: " + w.asText());
    }
    return 0;
  }
}

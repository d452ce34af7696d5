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
        + "sample output, a folder of images or an .npz with mu and sigma; or between --real and --count N samples "
        + "drawn from a flow checkpoint inside the feature tasks. Features from the FID Inception TorchScript "
        + "(pdm.eval.inception) on the executors. Writes fid.json and features/ Parquet.")
public final class FidCommand extends StageCommand {
  @Option(names = "--real", paramLabel = "X", description = "Reference side (pdm.eval.fid.real; default "
      + "<work-dir>/preprocess).")
  String real;

  @Option(names = "--fake", paramLabel = "Y", description = "Generated side (pdm.eval.fid.fake; default "
      + "<work-dir>/samples).")
  String fake;

  @Option(names = "--count", paramLabel = "N", description = "Draw the fake side instead: N samples from the flow "
      + "checkpoint, decoded and passed to the extractor in the same tasks, not written "
      + "(pdm.eval.fid.generate.count; sampler, seed, batch size and EMA as pdm sample's).")
  Long count;

  @Option(names = "--flow", paramLabel = "CKPT", description = "With --count: the flow checkpoint or its stage folder "
      + "(pdm.eval.fid.generate.flow; default <work-dir>/flow).")
  String flow;

  @Option(names = "--autoencoder", paramLabel = "CKPT", description = "With --count: the autoencoder checkpoint or "
      + "its stage folder (pdm.eval.fid.generate.autoencoder; default <work-dir>/autoencoder).")
  String autoencoder;

  @Option(names = "--sampler", paramLabel = "euler:N|rk45[:TOL]", description = "With --count: how samples are "
      + "drawn, as pdm sample --sampler (pdm.sample.sampler).")
  String sampler;

  @Option(names = "--seed", paramLabel = "S", description = "With --count: the noise seed; sample i depends only "
      + "on (S, i), as in pdm sample (pdm.sample.seed).")
  Long seed;

  @Option(names = "--keep-samples", description = "With --count: also write the samples into <out>/samples in pdm "
      + "sample's layout (pdm.eval.fid.generate.keep-samples).")
  Boolean keepSamples;

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
    addIfSet(o, "eval.fid.generate.count", count);
    addIfSet(o, "eval.fid.generate.flow", flow);
    addIfSet(o, "eval.fid.generate.autoencoder", autoencoder);
    addIfSet(o, "eval.fid.generate.keep-samples", keepSamples);
    addIfSet(o, "sample.sampler", sampler);
    addIfSet(o, "sample.seed", seed);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    FidConfig c = FidConfig.from(config); // all checks before Spark starts
    GenerateConfig g = GenerateConfig.from(config);
    WorkLayout work = WorkLayout.of(config);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    FidInput r = FidInput.resolve(hadoop, c.real(work), "--real");
    if (g.enabled()) {
      GeneratedFeatures.Plan.of(hadoop, g, g.flow(work), g.autoencoder(work));
    }
    FidInput f = g.enabled() ? null : FidInput.resolve(hadoop, c.fake(work), "--fake");
    if (f == null || r.kind() != FidInput.Kind.STATS || f.kind() != FidInput.Kind.STATS) {
      DetectorSource.sha256(hadoop, c.inceptionRequired()); // the extractor must exist before Spark starts
    }
    OutputGuard.check(hadoop, c.out(work), WorkLayout.EVAL.stage());
    SparkSession spark = SparkSessions.getOrCreate(config, "eval fid");
    FidJob.Outcome o = g.enabled()
        ? FidJob.runGenerated(spark, config, c.real(work), g.flow(work), g.autoencoder(work), c.out(work), force)
        : FidJob.run(spark, config, c.real(work), c.fake(work), c.out(work), force);
    System.out.println(FidJob.line(o, o.stage().output()));
    for (var w : o.json().get("warnings")) {
      System.err.println("pdm eval fid: warning: " + w.asText());
    }
    return 0;
  }
}

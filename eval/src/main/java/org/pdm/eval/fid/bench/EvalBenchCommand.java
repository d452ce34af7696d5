package org.pdm.eval.fid.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm bench eval}: FID's two costly parts against the Python tools users compare with. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "The Frechet distance of two 2048-d statistics against pytorch-fid's scipy sqrtm, and the "
        + "features/s of an Inception-sized TorchScript in the executors against python3-torch running the same "
        + "file on the same cores; both from /usr/bin/python3 in the same run (skipped when missing). Then the "
        + "time split (sample / decode / features / merge) of an FID drawn from tiny models in the feature tasks.")
public final class EvalBenchCommand extends StageCommand {
  @Option(names = "--dim", defaultValue = "2048", description = "Feature dimension of the statistics (default "
      + "${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--count", defaultValue = "32", description = "Pictures for the features/s comparison (default "
      + "${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--batch", defaultValue = "8", description = "Batch size of both (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--skip-features", description = "Skip the features/s comparison.")
  boolean skipFeatures;

  @Option(names = "--skip-frechet", description = "Skip the Frechet distance comparison.")
  boolean skipFrechet;

  @Option(names = "--fid-count", defaultValue = "24", description = "Samples of the FID time split (sample / decode "
      + "/ features / merge), drawn from fresh tiny models in the feature tasks; 0 skips it (default "
      + "${DEFAULT-VALUE}).")
  long fidCount;

  @Option(names = "--fid-sampler", paramLabel = "euler:N|rk45[:TOL]", description = "Sampler of the time split "
      + "(default: pdm.sample.sampler, euler:200).")
  String fidSampler;

  @Override
  protected int run(PdmConfig config) throws Exception {
    if (dim < 2 || count < 1 || batch < 1 || fidCount < 0 || fidCount == 1) {
      throw new ConfigError("--dim " + dim + " --count " + count + " --batch " + batch + " --fid-count " + fidCount
          + ": dim at least 2, count and batch at least 1, fid-count 0 (skip) or at least 2");
    }
    String sampler = fidSampler != null ? fidSampler : config.settings("sample").string("sampler");
    org.pdm.eval.sample.SamplerSpec.parse(sampler); // a bad one stops here, naming the allowed forms
    Path dir = Files.createTempDirectory("pdm-bench-eval");
    try {
      if (!skipFrechet) {
        EvalBench.frechet(dim, dir, System.out);
      }
      if (!skipFeatures) {
        EvalBench.features(SparkSessions.getOrCreate(config, "bench eval"), config, count, batch, dir, System.out);
      }
      if (fidCount > 0) {
        EvalBench.fidSplit(SparkSessions.getOrCreate(config, "bench eval"), config, fidCount, sampler, dir,
            System.out);
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    return 0;
  }
}

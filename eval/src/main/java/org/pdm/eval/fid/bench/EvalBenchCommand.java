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
        + "file on the same cores; both from /usr/bin/python3 in the same run (skipped when missing).")
public final class EvalBenchCommand extends StageCommand {
  @Option(names = "--dim", defaultValue = "2048", description = "Feature dimension of the statistics (default "
      + "${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--count", defaultValue = "32", description = "Pictures for the features/s comparison (default "
      + "${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--batch", defaultValue = "8", description = "Batch size of both (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--skip-features", description = "Only the Frechet distance.")
  boolean skipFeatures;

  @Override
  protected int run(PdmConfig config) throws Exception {
    if (dim < 2 || count < 1 || batch < 1) {
      throw new ConfigError("--dim " + dim + " --count " + count + " --batch " + batch + ": dim at least 2, "
          + "the others at least 1");
    }
    Path dir = Files.createTempDirectory("pdm-bench-eval");
    try {
      EvalBench.frechet(dim, dir, System.out);
      if (!skipFeatures) {
        EvalBench.features(SparkSessions.getOrCreate(config, "bench eval"), config, count, batch, dir, System.out);
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

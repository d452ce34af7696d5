package org.pdm.train.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.model.config.ModelConfig;
import org.pdm.train.DefaultModels;
import org.pdm.train.data.TrainDataConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm bench train}: the training loop on the Parquet reader against the same loop on batches in memory. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train steps of a freshly initialized model on generated rows: fed by the Parquet reader (dataset rows "
        + "for an autoencoder config, a float16 latent cache for a UNet config) against the same batches held in "
        + "memory; prints steps/s of both, their ratio and the process's peak RSS.")
public final class TrainBenchCommand extends StageCommand {
  @Option(names = "--config", defaultValue = "unet-tiny", paramLabel = "FILE|NAME",
      description = "A model config file or name in conf/model (default ${DEFAULT-VALUE}).")
  String modelConfig;

  @Option(names = "--batch", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--steps", defaultValue = "20", description = "Timed steps of each (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--rows", defaultValue = "256", description = "Generated rows (default ${DEFAULT-VALUE}).")
  int rows;

  @Override
  protected int run(PdmConfig config) throws Exception {
    if (batch < 1 || steps < 1 || warmup < 0 || rows < batch) {
      throw new ConfigError("--batch " + batch + " --steps " + steps + " --warmup " + warmup + " --rows " + rows
          + ": batch and steps at least 1, warmup at least 0, rows at least one batch");
    }
    ModelConfig model = DefaultModels.given(modelConfig);
    TrainDataConfig data = TrainDataConfig.from(config.raw().getConfig("pdm.train"));
    data = new TrainDataConfig(data.shuffleBuffer(), data.prefetchBatches(), data.threads(), 0, data.maxBadRows());
    Path dir = Files.createTempDirectory("pdm-bench-train");
    try {
      TrainBench.Result r = TrainBench.run(model, batch, steps, warmup, rows, data, dir, System.out);
      System.out.printf("bench train %s batch %d, %d steps after %d warmup, %d rows, %d data threads:%n", modelConfig,
          batch, steps, warmup, rows, data.threads());
      System.out.printf("  from Parquet   %.3f steps/s%n", r.parquetStepsPerSecond());
      System.out.printf("  from memory    %.3f steps/s (the two loops alternate in blocks of " + TrainBench.BLOCK + " steps)%n",
          r.memoryStepsPerSecond());
      System.out.printf("  ratio          %.3f (target >= 0.95)%n", r.ratio());
      System.out.printf("  data wait      %.3f s of %.3f s (%.1f %%) with the step thread blocked on the reader, "
          + "longest %.1f ms%n", r.dataWaitSeconds(), r.parquetSeconds(), 100 * r.waitShare(),
          1000 * r.longestWaitSeconds());
      System.out.printf("  peak RSS       %.0f MiB (VmHWM of this process)%n", r.peakRssBytes() / 1048576.0);
      System.out.printf("  reproduce:     bin/pdm bench train --config %s --batch %d --steps %d --warmup %d --rows %d%n",
          modelConfig, batch, steps, warmup, rows);
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

package org.pdm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.ModelConfigFiles;
import org.pdm.model.bench.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdm bench model}: training steps/s, samples/s, resident memory and achieved GFLOP/s of a model
 * config against a large matrix product on the same engine, measured in the same run.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Train and sample a model config on this machine's DJL engine and report steps/s, samples/s, "
        + "memory and GFLOP/s against a 2048x2048 matmul measured in the same run.")
public final class ModelBenchCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE|NAME",
      description = "A model config file, or the name of one in conf/model (unet-tiny, unet-256, autoencoder-tiny, ...).")
  String config;

  @Option(names = "--batch", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--steps", defaultValue = "10", description = "Timed training steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Override
  public Integer call() throws IOException {
    if (batch < 1 || steps < 1) {
      throw new ConfigError("--batch " + batch + " --steps " + steps + ": both must be at least 1");
    }
    ModelBenchmark.run(resolve(config), batch, steps, System.out);
    return 0;
  }

  /** A file as given, or a config shipped in the jar under conf/model. */
  static Path resolve(String nameOrFile) throws IOException {
    return ModelConfigFiles.resolve(nameOrFile);
  }
}

package org.pdm.latentcache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.ModelConfigFiles;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm bench encode}: the encode stage against a bare in-memory encode loop, in the same run. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = "Encode generated images with a freshly initialized autoencoder: the whole pdm encode stage against "
        + "a bare loop over the same images in memory, same device and threads; prints images/s, the ratio and "
        + "the encoder's GFLOP/s against a matmul.")
public final class EncodeBenchCommand extends StageCommand {
  @Option(names = "--config", defaultValue = "autoencoder-tiny", paramLabel = "FILE|NAME",
      description = "An autoencoder config file or name in conf/model (default ${DEFAULT-VALUE}).")
  String modelConfig;

  @Option(names = "--count", defaultValue = "256", description = "Images (default ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--batch", defaultValue = "16", description = "Batch size of both (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--format", defaultValue = "raw", paramLabel = "raw|png", description = "How the dataset rows "
      + "hold the images: raw pixels, what preprocess writes by default, or PNG (default ${DEFAULT-VALUE}).")
  String format;

  @Override
  protected int run(PdmConfig config) throws Exception {
    if (!format.equals("raw") && !format.equals("png")) {
      throw new ConfigError("--format " + format + ": use raw or png");
    }
    if (count < 1 || batch < 1) {
      throw new ConfigError("--count " + count + " --batch " + batch + ": both must be at least 1");
    }
    Path file = ModelConfigFiles.resolve(modelConfig);
    Path dir = EncodeBench.tempDir();
    try {
      EncodeBench.run(SparkSessions.getOrCreate(config, "bench encode"), config, modelConfig, file, count, batch, format, dir, System.out);
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

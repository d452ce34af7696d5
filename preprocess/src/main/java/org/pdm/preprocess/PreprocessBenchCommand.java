package org.pdm.preprocess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Sizes;
import org.pdm.core.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm bench preprocess}: images per second on one core, against Pillow. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
    description = "Decode-crop-resize-encode large generated JPEGs with the scapes2k preset in one thread and "
        + "report images/s; the same with Pillow (/usr/bin/python3) when installed, and the ratio.")
public final class PreprocessBenchCommand extends StageCommand {
  @Option(names = "--count", description = "Number of images (default ${DEFAULT-VALUE}).", defaultValue = "8")
  int count;

  @Option(names = "--size", paramLabel = "WxH", description = "Input size (default ${DEFAULT-VALUE}).",
      defaultValue = "5120x2880")
  String size;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the inputs are generated and kept "
      + "(default <work-dir>/bench-preprocess).")
  String dir;

  @Option(names = "--rounds", description = "Rounds (Java pass, then Pillow passes); the best of each is "
      + "reported (default ${DEFAULT-VALUE}).", defaultValue = "3")
  int rounds;

  @Option(names = "--no-pillow", description = "Do not run the Pillow comparison.")
  boolean noPillow;

  @Override
  protected List<String> flagOverrides() {
    // The preset the issue names. The quality thresholds are off so that no input is rejected; the
    // measures (sharpness, hash) are still computed for every image, as they are output columns:
    // work that the Pillow side does not do.
    return new ArrayList<>(List.of("preprocess.preset=scapes2k", "preprocess.filters.min-sharpness=0",
        "preprocess.filters.min-chroma=0", "preprocess.filters.min-luma-std=0", "preprocess.filters.max-border=0"));
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    PreprocessConfig c = PreprocessConfig.from(config);
    int[] wh = Sizes.parse(size, "--size", 16, 20000);
    Path folder = Path.of(dir != null ? dir : SparkSessions.workDir(config) + "/bench-preprocess");
    System.out.printf("bench preprocess: %d JPEGs of %s in %s; preset %s (%dx%d, %s, reduce-gap %s, PNG level %d)%n",
        count, size, folder, c.geometry().name(), c.geometry().width(), c.geometry().height(),
        c.filter().name().toLowerCase(), c.reduceGap(), c.encoder().pngLevel());
    var files = PreprocessBench.inputs(folder, count, wh[0], wh[1]);
    PreprocessBench.Result r = PreprocessBench.run(c, files, size, !noPillow, Math.max(1, rounds), System.out);
    if (!Double.isNaN(r.pillowDraft())) {
      System.out.printf("ratio:  java / pillow = %.2f (draft mode), %.2f (full decode)%n",
          r.javaRate() / r.pillowDraft(), r.javaRate() / r.pillowFull());
    }
    return 0;
  }
}

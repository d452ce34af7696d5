package org.pdm.eval.fid;

import java.io.Serializable;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.stage.WorkLayout;

/**
 * The validated settings of {@code pdm eval fid} (keys {@code pdm.eval.inception} and section
 * {@code pdm.eval.fid}); every check runs here, before Spark starts.
 */
public record FidConfig(String inception, String real, String fake, String out, ResizeMode mode, String saveStats,
    int inputSize, int batchSize, int partitions, int kidSubsets, int kidSubsetSize, int prK, int metricSamples,
    long seed, String statsCache) implements Serializable {

  public static FidConfig from(PdmConfig config) {
    Settings e = config.settings("eval");
    Settings s = config.settings("eval.fid");
    return new FidConfig(e.string("inception").trim(), s.string("real").trim(), s.string("fake").trim(),
        s.string("out").trim(), ResizeMode.of(s.oneOf("mode", "clean", "legacy-tensorflow")),
        s.string("save-stats").trim(), s.intIn("input-size", 8, 4096), s.intIn("batch-size", 1, 4096),
        s.intIn("partitions", 0, 1_000_000), s.intIn("kid-subsets", 1, 100_000),
        s.intIn("kid-subset-size", 2, 1_000_000), s.intIn("pr-k", 1, 1000), s.intIn("metric-samples", 0, 100_000_000),
        s.longIn("seed", 0, Long.MAX_VALUE), s.string("stats-cache").trim());
  }

  /** The detector file, or a stop with the fix when none is configured. */
  public String inceptionRequired() {
    if (inception.isEmpty()) {
      throw new org.pdm.core.config.ConfigError("pdm.eval.inception is not set: pdm eval fid needs the FID Inception "
          + "TorchScript (inception-2015-12-05.pt); download it with pdm eval fetch-inception --to FILE and set "
          + "pdm.eval.inception=FILE (or pass --inception FILE)");
    }
    return inception;
  }

  public String real(WorkLayout work) {
    return real.isEmpty() ? work.dir(WorkLayout.PREPROCESS) : real;
  }

  public String fake(WorkLayout work) {
    return fake.isEmpty() ? work.dir(WorkLayout.SAMPLES) : fake;
  }

  public String out(WorkLayout work) {
    return out.isEmpty() ? work.dir(WorkLayout.EVAL) : out;
  }

  public String statsCache(WorkLayout work) {
    return statsCache.isEmpty() ? work.root() + "/fid-stats-cache" : statsCache;
  }
}

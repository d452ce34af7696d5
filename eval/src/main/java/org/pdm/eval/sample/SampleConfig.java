package org.pdm.eval.sample;

import java.io.Serializable;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.stage.WorkLayout;

/**
 * The validated settings of {@code pdm sample} (section {@code pdm.sample}); every check runs here,
 * before Spark starts.
 *
 * @param flow the flow checkpoint or the stage folder holding it ("" for the work folder's flow/)
 * @param autoencoder the autoencoder checkpoint or its stage folder ("" for the work folder's autoencoder/)
 * @param out output folder ("" for the work folder's samples/)
 * @param count samples to draw
 * @param sampler how to integrate the flow
 * @param seed noise seed: sample i's noise depends on (seed, i) only
 * @param batchSize samples per device batch (a batch shares one RK45 step size)
 * @param ema the EMA weights of both checkpoints
 * @param partitions Spark partitions, 0 for automatic
 * @param grid samples shown in grid.png (the first ones), 0 for no grid
 */
public record SampleConfig(String flow, String autoencoder, String out, long count, SamplerSpec sampler, long seed,
    int batchSize, boolean ema, int partitions, int grid) implements Serializable {

  public static SampleConfig from(PdmConfig config) {
    Settings s = config.settings("sample");
    SamplerSpec sampler;
    try {
      sampler = SamplerSpec.parse(s.string("sampler"));
    } catch (IllegalArgumentException e) {
      throw new ConfigError(s.key("sampler") + " = " + e.getMessage());
    }
    return new SampleConfig(s.string("flow").trim(), s.string("autoencoder").trim(), s.string("out").trim(),
        s.longIn("count", 1, 100_000_000), sampler, s.longIn("seed", 0, Long.MAX_VALUE),
        s.intIn("batch-size", 1, 4096), s.bool("ema"), s.intIn("partitions", 0, 1_000_000),
        s.intIn("grid", 0, 1024));
  }

  public String flow(WorkLayout work) {
    return flow.isEmpty() ? work.dir(WorkLayout.FLOW) : flow;
  }

  public String autoencoder(WorkLayout work) {
    return autoencoder.isEmpty() ? work.dir(WorkLayout.AUTOENCODER) : autoencoder;
  }

  public String out(WorkLayout work) {
    return out.isEmpty() ? work.dir(WorkLayout.SAMPLES) : out;
  }
}

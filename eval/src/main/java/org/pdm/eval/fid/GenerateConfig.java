package org.pdm.eval.fid;

import java.io.Serializable;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.stage.WorkLayout;
import org.pdm.eval.sample.SampleConfig;

/**
 * The validated settings of an FID whose fake side is drawn from a flow checkpoint (section
 * {@code pdm.eval.fid.generate}); how each sample is drawn comes from {@code pdm.sample}, so that
 * sample i is the picture {@code pdm sample} draws with the same settings.
 *
 * @param count samples to draw; 0 means the fake side is read ({@code --fake}) instead
 * @param flow the flow checkpoint or its stage folder ("" for the work folder's flow/)
 * @param autoencoder the autoencoder checkpoint or its stage folder ("" for the work folder's autoencoder/)
 * @param keepSamples also write the samples in pdm sample's layout under {@code <out>/samples}
 * @param sample pdm sample's settings with {@code count} in place of {@code pdm.sample.count}
 */
public record GenerateConfig(long count, String flow, String autoencoder, boolean keepSamples, SampleConfig sample)
    implements Serializable {
  /** Where --keep-samples writes inside the eval output. */
  public static final String KEPT = "samples";

  public static GenerateConfig from(PdmConfig config) {
    Settings g = config.settings("eval.fid.generate");
    long count = g.longIn("count", 0, 100_000_000);
    String flow = g.string("flow").trim();
    String autoencoder = g.string("autoencoder").trim();
    boolean keep = g.bool("keep-samples");
    if (count == 0) {
      if (!flow.isEmpty() || !autoencoder.isEmpty() || keep) {
        throw new ConfigError(g.key("count") + " is 0 but --flow, --autoencoder or --keep-samples is given: add "
            + "--count N (samples to draw from the flow), or leave them out to read the fake side from --fake");
      }
      return new GenerateConfig(0, "", "", false, null);
    }
    if (count == 1) {
      throw new ConfigError(g.key("count") + " = 1: an FID needs at least 2 samples (papers use 10K-50K)");
    }
    if (!config.settings("eval.fid").string("fake").trim().isEmpty()) {
      throw new ConfigError("--fake and --count exclude each other: --count N draws the fake side from the flow "
          + "checkpoint, --fake reads it; give one (" + g.key("count") + ", pdm.eval.fid.fake)");
    }
    SampleConfig s = SampleConfig.from(config);
    return new GenerateConfig(count, flow, autoencoder, keep, new SampleConfig(s.flow(), s.autoencoder(), s.out(),
        count, s.sampler(), s.seed(), s.batchSize(), s.ema(), s.partitions(), s.grid()));
  }

  /** Whether the fake side is drawn from the flow. */
  public boolean enabled() {
    return count > 0;
  }

  public String flow(WorkLayout work) {
    return flow.isEmpty() ? work.dir(WorkLayout.FLOW) : flow;
  }

  public String autoencoder(WorkLayout work) {
    return autoencoder.isEmpty() ? work.dir(WorkLayout.AUTOENCODER) : autoencoder;
  }
}

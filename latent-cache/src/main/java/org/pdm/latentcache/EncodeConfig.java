package org.pdm.latentcache;

import java.io.Serializable;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.stage.WorkLayout;

/**
 * The validated settings of {@code pdm encode} (section {@code pdm.encode}); every check runs here,
 * before Spark starts.
 *
 * @param dataset preprocess's output folder or its dataset/ folder ("" for the work folder's)
 * @param autoencoder the checkpoint, or the stage folder holding it ("" for the work folder's)
 * @param out output folder ("" for the work folder's latents/)
 * @param batchSize images per device batch
 * @param dtype stored element type
 * @param posterior keep the log-variance beside the mean
 * @param ema auto (EMA weights when the checkpoint was trained), true or false
 * @param partitions encode partitions, 0 for automatic
 */
public record EncodeConfig(String dataset, String autoencoder, String out, int batchSize, LatentSchema.Dtype dtype,
    boolean posterior, String ema, int partitions) implements Serializable {

  public static EncodeConfig from(PdmConfig config) {
    Settings s = config.settings("encode");
    return new EncodeConfig(s.string("dataset").trim(), s.string("autoencoder").trim(), s.string("out").trim(),
        s.intIn("batch-size", 1, 4096), LatentSchema.Dtype.of(s.oneOf("dtype", "float16", "float32")),
        s.bool("posterior"), s.oneOf("ema", "auto", "true", "false"), s.intIn("partitions", 0, 1_000_000));
  }

  public String dataset(WorkLayout work) {
    return dataset.isEmpty() ? work.dir(WorkLayout.PREPROCESS) : dataset;
  }

  public String autoencoder(WorkLayout work) {
    return autoencoder.isEmpty() ? work.dir(WorkLayout.AUTOENCODER) : autoencoder;
  }

  public String out(WorkLayout work) {
    return out.isEmpty() ? work.dir(WorkLayout.LATENTS) : out;
  }
}

package org.pdm.eval.recon;

import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.model.autoencoder.PyramidAutoEncoder;

/**
 * The validated settings of {@code pdm eval ablation} (section {@code pdm.eval.ablation}).
 *
 * @param autoencoder checkpoint or its stage folder ("" for the work folder's autoencoder/)
 * @param dataset preprocess's output or its dataset/ ("" for the work folder's preprocess/)
 * @param out output folder ("" for {@code <work-dir>/eval-ablation})
 * @param count images (grid rows)
 * @param fill what replaces a dropped level
 * @param seed seed of the noise fill
 * @param validationFraction the held-out share: validation images come first
 * @param ema auto, true or false
 */
public record AblationConfig(String autoencoder, String dataset, String out, int count, PyramidAutoEncoder.Fill fill,
    long seed, double validationFraction, String ema) implements AutoencoderEvalPaths {
  public static final String FOLDER = "eval-ablation";
  public static final String STAGE = "eval-ablation";

  public static AblationConfig from(PdmConfig config) {
    Settings s = config.settings("eval.ablation");
    return new AblationConfig(s.string("autoencoder").trim(), s.string("dataset").trim(), s.string("out").trim(),
        s.intIn("count", 1, 64), PyramidAutoEncoder.Fill.valueOf(s.oneOf("fill", "zeros", "noise").toUpperCase()),
        s.longIn("seed", 0, Long.MAX_VALUE), s.doubleIn("validation-fraction", 0, 0.999999),
        s.oneOf("ema", "auto", "true", "false"));
  }

  @Override
  public String folder() {
    return FOLDER;
  }
}

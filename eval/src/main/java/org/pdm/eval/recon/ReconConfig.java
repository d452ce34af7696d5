package org.pdm.eval.recon;

import java.io.Serializable;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;

/**
 * The validated settings of {@code pdm eval recon} (section {@code pdm.eval.recon}).
 *
 * @param autoencoder checkpoint or its stage folder ("" for the work folder's autoencoder/)
 * @param dataset preprocess's output or its dataset/ ("" for the work folder's preprocess/)
 * @param out output folder ("" for {@code <work-dir>/eval-recon})
 * @param validationFraction the held-out share (core's ValidationSplit)
 * @param batchSize images per device batch
 * @param ema auto, true or false
 * @param partitions Spark partitions, 0 for automatic
 */
public record ReconConfig(String autoencoder, String dataset, String out, double validationFraction, int batchSize,
    String ema, int partitions) implements Serializable, AutoencoderEvalPaths {
  /**
   * The folder under the work folder that recon writes by default: beside, not inside, {@code eval/},
   * which pdm eval fid replaces as a whole.
   */
  public static final String FOLDER = "eval-recon";
  /** Its stage name in manifests. */
  public static final String STAGE = "eval-recon";

  public static ReconConfig from(PdmConfig config) {
    Settings s = config.settings("eval.recon");
    return new ReconConfig(s.string("autoencoder").trim(), s.string("dataset").trim(), s.string("out").trim(),
        s.doubleIn("validation-fraction", 0, 0.999999), s.intIn("batch-size", 1, 4096),
        s.oneOf("ema", "auto", "true", "false"), s.intIn("partitions", 0, 1_000_000));
  }

  @Override
  public String folder() {
    return FOLDER;
  }
}

package org.pdm.eval.recon;

import java.util.ArrayList;
import java.util.List;
import org.pdm.eval.sample.ModelSource;
import org.pdm.eval.sample.Pixels;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.executor.ModelRegistry;

/**
 * An autoencoder's reconstructions, compared with the originals: each batch is encoded to its latent
 * means (the deterministic code the latent cache stores), decoded, rounded to 8 bits as a saved
 * picture would be, and scored with {@link ImageMetrics}. Knows nothing of Spark.
 */
final class Reconstructor {
  /** One image's scores. */
  record Score(String id, double mse, double psnr, double ssim) implements java.io.Serializable {}

  private final ModelRegistry.Entry<ModelSource.Handle> model;

  Reconstructor(ModelRegistry.Entry<ModelSource.Handle> model) {
    this.model = model;
  }

  /**
   * @param ids the images' ids
   * @param chw the images as floats in [-1, 1], (3, H, W) each
   * @param rgb the same images as uint8 HWC RGB (the originals the scores compare with)
   */
  /** A batch's scores, and its reconstructions as uint8 HWC RGB (what rFID compares with the originals). */
  record Scored(List<Score> scores, List<byte[]> reconstructions) {}

  Scored score(List<String> ids, List<float[]> chw, List<byte[]> rgb, int width, int height) {
    int n = ids.size();
    int size = 3 * width * height;
    float[] batch = new float[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(chw.get(i), 0, batch, i * size, size);
    }
    float[] out = model.use(h -> {
      PyramidAutoEncoder ae = (PyramidAutoEncoder) h.model();
      return ae.decode(ae.encodeMeans(batch, n), n);
    });
    List<Score> scores = new ArrayList<>(n);
    List<byte[]> recs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] rec = Pixels.rgb(out, i, height, width);
      double mse = ImageMetrics.mse(rgb.get(i), rec);
      scores.add(new Score(ids.get(i), mse, ImageMetrics.psnrOfMse(mse),
          ImageMetrics.ssim(rgb.get(i), rec, width, height)));
      recs.add(rec);
    }
    return new Scored(scores, recs);
  }
}

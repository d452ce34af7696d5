package org.pdm.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdm.model.autoencoder.LatentPyramid;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.StepScope;
import org.pdm.train.data.Batch;
import org.pdm.train.output.ImageGrid;

/**
 * The autoencoder's objective, latent diffusion's recipe without the perceptual and GAN terms:
 * reconstruction per pixel (L1 by default, or L2) plus {@code kl-weight} x KL, the KL divided by
 * C*H*W as model's AutoEncoderLoss does, so that the weight means what it means in latent
 * diffusion's configs (their loss is the per-image sum; ours the same divided by C*H*W). Validation
 * reconstructs from the posterior mode and reports the reconstruction loss and the PSNR (images in
 * [-1, 1], peak-to-peak 2).
 */
public final class AutoencoderObjective implements Objective {
  private final PyramidAutoEncoder ae;
  private final boolean l1;
  private final double klWeight;
  private final Batch sampleBatch;

  /**
   * @param sampleBatch the images shown in every sample grid (originals above reconstructions)
   */
  public AutoencoderObjective(PyramidAutoEncoder ae, String reconLoss, double klWeight, Batch sampleBatch) {
    this.ae = ae;
    this.l1 = reconLoss.equals("l1");
    this.klWeight = klWeight;
    this.sampleBatch = sampleBatch;
  }

  @Override
  public String name() {
    return "autoencoder";
  }

  @Override
  public ModelConfig config() {
    return ae.config();
  }

  @Override
  public Module model() {
    return ae;
  }

  @Override
  public NDArray loss(Ctx ctx, Batch batch, Map<String, Double> terms) {
    NDArray x = images(ctx, batch); // (B, 3, H, W)
    LatentPyramid q = ae.encode(ctx, x);
    NDArray rec = ae.decode(ctx, q.sample(ctx, ctx.rng()));
    NDArray recon = reconstruction(rec, x);
    NDArray total = recon;
    terms.merge("recon", (double) recon.getFloat(), Double::sum);
    if (q.isGaussian() && klWeight > 0) {
      long n = x.getShape().size() / x.getShape().get(0); // C*H*W
      NDArray kl = Ops.scale(q.kl(), klWeight / n);
      terms.merge("kl", (double) kl.getFloat(), Double::sum);
      total = total.add(kl);
    }
    return total;
  }

  @Override
  public Map<String, Double> validate(List<Batch> batches) {
    double loss = 0;
    double psnr = 0;
    long images = 0;
    for (Batch b : batches) {
      try (StepScope scope = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(scope.manager());
        NDArray x = images(ctx, b);
        NDArray rec = ae.decode(ctx, ae.encode(ctx, x).mode());
        loss += reconstruction(rec, x).getFloat() * b.size();
        float[] mse = rec.sub(x).square().reshape(b.size(), -1).mean(new int[] {1}).toFloatArray();
        for (float m : mse) {
          psnr += 10 * Math.log10(4.0 / Math.max(m, 1e-12)); // peak-to-peak 2 in [-1, 1]
        }
        images += b.size();
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("val_loss", loss / images);
    out.put("val_psnr", psnr / images);
    return out;
  }

  @Override
  public void writeSamples(Path png, long step) throws IOException {
    int n = sampleBatch.size();
    float[] rec;
    try (StepScope scope = StepScope.open(ae)) {
      Ctx ctx = Ctx.eval(scope.manager());
      rec = ae.decode(ctx, ae.encode(ctx, images(ctx, sampleBatch)).mode()).toFloatArray();
    }
    long[] s = sampleBatch.shapes().get(0);
    ImageGrid grid = new ImageGrid(2, n, (int) s[3], (int) s[2]);
    int size = Math.toIntExact(s[1] * s[2] * s[3]);
    for (int i = 0; i < n; i++) {
      grid.putRgb(0, i, sampleBatch.arrays().get(0), i * size);
      grid.putRgb(1, i, rec, i * size);
    }
    grid.write(png);
  }

  private NDArray reconstruction(NDArray rec, NDArray x) {
    NDArray d = rec.sub(x);
    return l1 ? d.abs().mean() : d.square().mean();
  }

  private static NDArray images(Ctx ctx, Batch b) {
    return ctx.create(b.arrays().get(0), new Shape(b.shapes().get(0)));
  }

}

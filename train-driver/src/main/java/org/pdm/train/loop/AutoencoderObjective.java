package org.pdm.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdm.model.autoencoder.LatentPyramid;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.gan.LpipsLoss;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.DataParallelTrainer;
import org.pdm.train.data.Batch;
import org.pdm.train.output.ImageGrid;

/**
 * The autoencoder's objective without the discriminator (with one, the step is model's
 * AutoEncoderObjective through {@link AdversarialStep}, and this class serves validation and the
 * sample grids): reconstruction per pixel (L1 by default, or L2), plus {@code perceptual-weight} x
 * LPIPS when a TorchScript LPIPS is given, plus {@code kl-weight} x KL, the KL divided by C*H*W as
 * model's AutoEncoderLoss does, so that the weight means what it means in latent diffusion's configs
 * (their loss is the per-image sum; ours the same divided by C*H*W). Validation reconstructs from the
 * posterior mode and reports the reconstruction loss and the PSNR (images in [-1, 1], peak-to-peak 2).
 */
public final class AutoencoderObjective implements Objective {
  private final PyramidAutoEncoder ae;
  private final boolean l1;
  private final double klWeight;
  private final double perceptualWeight;
  private final List<LpipsLoss> lpips;
  private final Batch sampleBatch;

  /**
   * @param lpips one LPIPS per replica (on its device), or an empty list for no perceptual term
   * @param sampleBatch the images shown in every sample grid (originals above reconstructions)
   */
  public AutoencoderObjective(PyramidAutoEncoder ae, String reconLoss, double klWeight, double perceptualWeight,
      List<LpipsLoss> lpips, Batch sampleBatch) {
    this.ae = ae;
    this.l1 = reconLoss.equals("l1");
    this.klWeight = klWeight;
    this.perceptualWeight = lpips.isEmpty() ? 0 : perceptualWeight;
    this.lpips = List.copyOf(lpips);
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
  public DataParallelTrainer.ShardLoss shardLoss(Batch batch, Rng rng, List<Module> replicas, StepTerms terms) {
    int b = batch.size();
    AutoEncoderConfig c = ae.config();
    List<float[]> eps = new ArrayList<>(); // the posterior sample's noise, level by level (LatentPyramid.sample's order)
    if (c.bottleneck() == AutoEncoderConfig.Bottleneck.KL) {
      for (LevelSpec l : c.latents()) {
        eps.add(rng.normal(b * l.channels() * l.height() * l.width()));
      }
    }
    float[] images = batch.arrays().get(0);
    long[] shape = batch.shapes().get(0); // (B, 3, H, W)
    return (ctx, r, from, to) -> {
      PyramidAutoEncoder model = (PyramidAutoEncoder) replicas.get(r);
      int n = to - from;
      double share = (double) n / b;
      NDArray x = ctx.create(Objective.rows(images, b, from, to), new Shape(Objective.withRows(shape, n)));
      LatentPyramid q = model.encode(ctx, x);
      NDList noise = new NDList();
      for (int i = 0; i < eps.size(); i++) {
        LevelSpec l = c.latents().get(i);
        noise.add(ctx.create(Objective.rows(eps.get(i), b, from, to), new Shape(n, l.channels(), l.height(),
            l.width())));
      }
      NDArray rec = model.decode(ctx, q.sample(noise));
      NDArray total = reconstruction(rec, x);
      terms.add(r, "recon", total.getFloat() * share);
      if (perceptualWeight > 0) {
        NDArray p = Ops.scale(lpips.get(r).distance(rec, x).mean(), perceptualWeight);
        terms.add(r, "perceptual", p.getFloat() * share);
        total = total.add(p);
      }
      if (q.isGaussian() && klWeight > 0) {
        long pixels = x.getShape().size() / n; // C*H*W
        NDArray kl = Ops.scale(q.kl(), klWeight / pixels);
        terms.add(r, "kl", kl.getFloat() * share);
        total = total.add(kl);
      }
      return total;
    };
  }

  @Override
  public Map<String, Double> validate(List<Batch> batches, Module model) {
    PyramidAutoEncoder ae = (PyramidAutoEncoder) model;
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

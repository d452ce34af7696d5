package org.pdm.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.flow.EulerSampler;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.flow.RectifiedFlow;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.nn.Tensors;
import org.pdm.model.train.DataParallelTrainer;
import org.pdm.model.unet.PyramidUNet;
import org.pdm.train.data.Batch;
import org.pdm.train.output.ImageGrid;

/**
 * The flow's objective: the pyramid loss (paper eq. 7, model's {@link RectifiedFlow}: one t for all
 * levels) on latents rescaled per level by the {@link LatentScaler}. Validation draws its noise and
 * times from a generator of its own, the same at every validation, so that validation losses are
 * comparable across steps. Sample grids integrate with Euler from fixed noise and are decoded with
 * the autoencoder when there is one, else drawn as per-level heat maps.
 */
public final class FlowObjective implements Objective {
  /** Seed of validation's noise and of the sample grids' noise: fixed, so every grid shows the same draws. */
  private static final long FIXED_SEED = 0x5EED_F10FL;
  private static final int GRID = 8;

  private final PyramidUNet unet;
  private final LatentScaler scaler;
  private final RectifiedFlow flow = new RectifiedFlow();
  private final int sampleSteps;
  private final PyramidAutoEncoder decoder;

  /** @param decoder the autoencoder that decodes sample grids, or null for heat maps */
  public FlowObjective(PyramidUNet unet, LatentScaler scaler, int sampleSteps, PyramidAutoEncoder decoder) {
    this.unet = unet;
    this.scaler = scaler;
    this.sampleSteps = sampleSteps;
    this.decoder = decoder;
  }

  @Override
  public String name() {
    return "flow";
  }

  @Override
  public ModelConfig config() {
    return unet.config();
  }

  @Override
  public Module model() {
    return unet;
  }

  @Override
  public LatentScaler scaler() {
    return scaler;
  }

  @Override
  public DataParallelTrainer.ShardLoss shardLoss(Batch batch, Rng rng, List<Module> replicas, StepTerms terms) {
    int b = batch.size();
    if (!scaler.isFrozen()) {
      // the std EMA sees the whole batch, as on one device, before any replica scales its shard
      try (NDManager m = unet.manager().newSubManager()) {
        scaler.observe(latents(m, batch, 0, b));
      }
    }
    List<Shape> levels = new ArrayList<>();
    for (long[] s : batch.shapes()) {
      levels.add(new Shape(s).slice(1)); // (C_i, H_i, W_i)
    }
    RectifiedFlow.Draw draw = flow.draw(b, levels, rng); // t and z0 for the whole batch
    return (ctx, r, from, to) -> {
      PyramidUNet model = (PyramidUNet) replicas.get(r);
      NDArray loss = flow.loss(scaler.scale(latents(ctx.manager(), batch, from, to)), draw.slice(from, to),
          (zt, t) -> model.forward(ctx, zt, t));
      terms.add(r, "flow", loss.getFloat() * (to - from) / b);
      return loss;
    };
  }

  @Override
  public Map<String, Double> validate(List<Batch> batches, Module model) {
    PyramidUNet unet = (PyramidUNet) model;
    Rng rng = new Rng(FIXED_SEED);
    double loss = 0;
    long rows = 0;
    for (Batch b : batches) {
      try (StepScope scope = StepScope.open(unet)) {
        Ctx ctx = Ctx.eval(scope.manager());
        loss += flow.loss(scaler.scale(latents(ctx.manager(), b, 0, b.size())), rng, (zt, t) -> unet.forward(ctx, zt, t)).getFloat()
            * b.size();
        rows += b.size();
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("val_loss", loss / rows);
    return out;
  }

  @Override
  public void writeSamples(Path png, long step) throws IOException {
    float[][] z;
    try (var m = unet.manager().newSubManager()) {
      z = unet.sample(m, new EulerSampler(sampleSteps, flow.eps()), GRID, new Rng(FIXED_SEED));
    }
    double[] d = scaler.divisors();
    for (int i = 0; i < z.length; i++) {
      for (int k = 0; k < z[i].length; k++) {
        z[i][k] *= (float) d[i]; // back to the autoencoder's latent space
      }
    }
    List<LevelSpec> levels = unet.config().levels();
    if (decoder != null) {
      float[] images = decoder.decode(z, GRID);
      int h = decoder.config().imageHeight();
      int w = decoder.config().imageWidth();
      ImageGrid grid = new ImageGrid(1, GRID, w, h);
      for (int i = 0; i < GRID; i++) {
        grid.putRgb(0, i, images, i * 3 * h * w);
      }
      grid.write(png);
      return;
    }
    int tile = levels.stream().mapToInt(LevelSpec::height).max().orElse(1);
    ImageGrid grid = new ImageGrid(levels.size(), GRID, tile, tile);
    for (int l = 0; l < levels.size(); l++) {
      LevelSpec s = levels.get(l);
      int size = s.channels() * s.height() * s.width();
      for (int i = 0; i < GRID; i++) {
        grid.putHeat(l, i, z[l], i * size, s.channels(), s.height(), s.width());
      }
    }
    grid.write(png);
  }

  /** Rows [from, to) of a latent batch, one array per level (n, C_i, H_i, W_i), in {@code m}. */
  private static NDList latents(NDManager m, Batch b, int from, int to) {
    NDList z = new NDList();
    for (int i = 0; i < b.arrays().size(); i++) {
      z.add(Tensors.create(m, Objective.rows(b.arrays().get(i), b.size(), from, to),
          new Shape(Objective.withRows(b.shapes().get(i), to - from))));
    }
    return z;
  }
}

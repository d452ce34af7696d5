package org.pdm.cli.explore;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.Checkpoint;

/**
 * An autoencoder checkpoint's decoder on the CPU, for turning cached latents back into pictures:
 * whole pyramids, or with levels dropped (the paper's Fig. 7). Images come back (B, 3, H, W) in [-1, 1].
 */
public final class LatentDecoder implements AutoCloseable {
  private final NDManager manager;
  private final PyramidAutoEncoder model;

  private LatentDecoder(NDManager manager, PyramidAutoEncoder model) {
    this.manager = manager;
    this.model = model;
  }

  /**
   * Loads {@code checkpointDir} ({@code pdm model init}'s {@code checkpoint/} folder, or a trained one).
   *
   * @param ema the EMA weights instead of the raw ones
   */
  public static LatentDecoder load(Path checkpointDir, boolean ema) throws IOException {
    NDManager manager = NDManager.newBaseManager(Device.cpu());
    try {
      var loaded = Checkpoint.loadModel(checkpointDir, manager, Device.cpu(), ema);
      if (!(loaded.model() instanceof PyramidAutoEncoder ae)) {
        throw new IllegalArgumentException(checkpointDir + " holds a " + loaded.config().getClass().getSimpleName()
            + ", not an autoencoder: give the autoencoder's checkpoint (work/autoencoder/checkpoint)");
      }
      return new LatentDecoder(manager, ae);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public PyramidAutoEncoder model() {
    return model;
  }

  /** Latents per level (B, c, h, w) row-major -> images (B, 3, H, W). */
  public float[] decode(float[][] latents, int batch) {
    return model.decode(latents, batch);
  }

  /**
   * Decodes with only the levels where {@code keep[i]} is true; the others become zeros or standard
   * normal noise drawn from {@code seed} ({@link PyramidAutoEncoder#decode(Ctx, NDList, boolean[],
   * PyramidAutoEncoder.Fill, Rng)}).
   */
  public float[] decodeKeeping(float[][] latents, int batch, boolean[] keep, PyramidAutoEncoder.Fill fill, long seed) {
    try (StepScope scope = StepScope.open(model)) {
      Ctx ctx = Ctx.eval(scope.manager());
      NDList z = new NDList();
      for (int i = 0; i < latents.length; i++) {
        LevelSpec l = model.config().latents().get(i);
        z.add(ctx.create(latents[i], new Shape(batch, l.channels(), l.height(), l.width())));
      }
      return model.decode(ctx, z, keep, fill, new Rng(seed)).toFloatArray();
    }
  }

  /** Images (B, C, H, W) -> latents per level (B, c, h, w), the posterior means the cache stores. */
  public float[][] encode(float[] images, int batch) {
    return model.encodeMeans(images, batch);
  }

  @Override
  public void close() {
    manager.close();
  }
}
